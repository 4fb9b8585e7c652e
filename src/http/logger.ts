/**
 * The service's pino logger: JSON lines with request ids, and patient content redacted. Fastify logs no
 * bodies by default; the paths below catch the places where case content could still reach a log line
 * (a body or case object logged by mistake, an error carrying the input, a model prompt).
 */
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { redactQuery } from './query-credentials.js';

/** What a request line logs: fastify's fields, with credentials in the query string redacted. */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Log paths that may hold case text, facts or prompts; their values are replaced by `[redacted]`. */
export const REDACTED_PATHS: readonly string[] = [
  'body',
  'req.body',
  'request.body',
  'input',
  'case',
  'kase',
  'facts',
  'question',
  'prompt',
  'messages',
  'text',
  '*.body',
  '*.input',
  '*.case',
  '*.kase',
  '*.facts',
  '*.question',
  '*.prompt',
  '*.messages',
  '*.text',
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
];

/** pino options shared by the service and its tests. */
export function loggerOptions(level: LoggerOptions['level'] = 'info'): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    base: { service: 'argmed' },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: req.url === undefined ? undefined : redactQuery(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

/**
 * Creates the logger the app is built with.
 * @param level pino level (from `Config.logLevel`).
 * @param destination where lines go (stdout by default; tests pass a stream to read what was logged).
 */
export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: DestinationStream,
): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
