/** Patient content never reaches the logs: case text, facts, questions, keys; request ids do. */
import { describe, expect, it } from 'vitest';
import { MemoryCaseService } from '../api/support/memory-case-service.js';
import { exampleCase, testApp } from '../api/support/test-app.js';
import { createLogger } from '../../src/http/logger.js';
import { LogCapture } from '../api/support/test-app.js';

describe('logs', () => {
  it('carry request ids as JSON and no case content, even for rejected and malformed bodies', async () => {
    const { app, logs } = await testApp(new MemoryCaseService(), { ARGMED_API_KEYS: 'log-test-key-1' });
    const auth = { authorization: 'Bearer log-test-key-1' };
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCase(),
      headers: auth,
    });
    expect(ok.statusCode).toBe(200);
    await app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"question": "SECRET-QUESTION-TOKEN", "facts": ["SECRET-FACT-TOKEN"',
    });
    await app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: auth,
      payload: exampleCase({ question: 'SECRET-QUESTION-TOKEN', colour: 'SECRET-EXTRA-TOKEN' }),
    });
    await app.inject({
      method: 'GET',
      url: '/v1/schemes',
      headers: { authorization: 'Bearer wrong-key-SECRET' },
    });
    await app.close();

    expect(logs.lines.length).toBeGreaterThan(4);
    const entries = logs.lines.map((line) => JSON.parse(line));
    const completed = entries.filter((e) => e.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(4);
    for (const entry of completed) expect(typeof entry.reqId).toBe('string');
    expect(entries.some((e) => e.msg === 'request rejected' && e.code === 'ARGMED_MALFORMED_JSON')).toBe(
      true,
    );
    for (const secret of [
      'SECRET-FACT-TOKEN',
      'SECRET-QUESTION-TOKEN',
      'SECRET-EXTRA-TOKEN',
      'log-test-key-1',
      'wrong-key-SECRET',
      'amoxicillin',
    ]) {
      expect(logs.text).not.toContain(secret);
    }
  });

  // Regression: a withdrawal's `?reason=` (the clinician's words, often about the patient) and any unknown
  // query parameter were written to the log with the request URL.
  it('log query values only of parameters known to hold no free text', async () => {
    const { app, logs } = await testApp(new MemoryCaseService());
    await app.inject({ method: 'DELETE', url: '/v1/cases/c-1/arguments/c2?reason=SECRET-REASON-TOKEN%20HIV' });
    await app.inject({ method: 'GET', url: '/v1/cases?limit=5&status=decided&note=SECRET-NOTE-TOKEN' });
    await app.inject({ method: 'GET', url: '/v1/evaluations/ev-0123456789abcdef/rate?rater=SECRET-RATER-TOKEN' });
    await app.close();
    for (const secret of ['SECRET-REASON-TOKEN', 'SECRET-NOTE-TOKEN', 'SECRET-RATER-TOKEN']) {
      expect(logs.text).not.toContain(secret);
    }
    expect(logs.text).toContain('/v1/cases?limit=5&status=decided&note=[redacted]');
    expect(logs.text).toContain('/v1/cases/c-1/arguments/c2?reason=[redacted]');
  });

  it('redacts case content that a component logs by mistake', () => {
    const capture = new LogCapture();
    const logger = createLogger('info', capture);
    logger.info(
      {
        body: { facts: ['SECRET-A'] },
        kase: { question: 'SECRET-B' },
        call: { prompt: 'SECRET-C' },
        caseId: 'c-1',
      },
      'oops',
    );
    logger.flush?.();
    expect(capture.text).toContain('c-1');
    for (const secret of ['SECRET-A', 'SECRET-B', 'SECRET-C']) expect(capture.text).not.toContain(secret);
    expect(capture.text).toContain('[redacted]');
  });
});
