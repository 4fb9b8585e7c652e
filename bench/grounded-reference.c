/*
 * The C reference of `npm run bench:solver`: the same counting algorithm as argmed's solver, written as
 * plainly as C allows, so the benchmark can say how far argmed is from what the algorithm costs.
 *   grounded-reference FILE        prints the SE-GR answer like `argmed solve -p SE-GR` (`w 1 3 5`) on
 *                                  stdout and one JSON line of per-phase times on stderr.
 * Phases, as in argmed: parse (read the ICCMA 2023 file in 1 MiB chunks, `p af N` header, `i j` lines,
 * `#` comments), build (target rows by a counting sort on the source, each row sorted and de-duplicated,
 * attacker counts by a histogram of the targets), label (grounded labelling by the counting algorithm:
 * unattacked arguments IN, what an IN argument attacks OUT, an argument whose live attackers reach zero IN).
 * It trusts its input (the benchmark writes it): no error messages beyond "bad file", no UTF-8 checks.
 * Build: gcc -O2 -o grounded-reference grounded-reference.c
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)
enum { UNDEC = 0, IN = 1, OUT = 2 };

static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double wall_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
  fprintf(stderr, "grounded-reference: %s\n", what);
  exit(1);
}

/* Parses the complete lines of buf[0, len) (buf[len-1] is a newline) into pairs; returns the new count. */
static size_t parse_lines(const unsigned char *buf, size_t len, long *n, uint32_t *pairs, size_t m) {
  size_t p = 0;
  while (p < len) {
    unsigned char c = buf[p];
    if (c >= '0' && c <= '9' && *n >= 0) {
      uint64_t a = 0, b = 0;
      while (buf[p] >= '0' && buf[p] <= '9') a = a * 10 + (buf[p++] - '0');
      while (buf[p] == ' ' || buf[p] == '\t') p++;
      while (buf[p] >= '0' && buf[p] <= '9') b = b * 10 + (buf[p++] - '0');
      if (a < 1 || b < 1 || a > (uint64_t)*n || b > (uint64_t)*n) die("attack outside 1..N");
      pairs[2 * m] = (uint32_t)(a - 1);
      pairs[2 * m + 1] = (uint32_t)(b - 1);
      m++;
    } else if (c == 'p') {
      if (sscanf((const char *)buf + p, "p af %ld", n) != 1) die("bad header");
    }
    const unsigned char *nl = memchr(buf + p, '\n', len - p);
    p = (size_t)(nl - buf) + 1;
  }
  return m;
}

int main(int argc, char **argv) {
  if (argc != 2) die("usage: grounded-reference FILE");
  double c0 = cpu_now(), w0 = wall_now();

  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) die("cannot open the file");
  struct stat st;
  fstat(fd, &st);
  size_t capacity = (size_t)st.st_size / 4 + 16; /* an attack line takes at least 4 bytes */
  uint32_t *pairs = malloc(2 * capacity * sizeof(uint32_t));
  unsigned char *buf = malloc(2 * CHUNK + 1);
  long n = -1;
  size_t m = 0, carry = 0;
  for (;;) {
    ssize_t got = read(fd, buf + carry, CHUNK);
    if (got < 0) die("cannot read the file");
    size_t len = carry + (size_t)got;
    if (got == 0) {
      if (len > 0) {
        buf[len++] = '\n';
        m = parse_lines(buf, len, &n, pairs, m);
      }
      break;
    }
    size_t last = len;
    while (last > 0 && buf[last - 1] != '\n') last--;
    m = parse_lines(buf, last, &n, pairs, m);
    carry = len - last;
    memmove(buf, buf + last, carry);
  }
  close(fd);
  if (n < 0) die("no header");
  double c1 = cpu_now(), w1 = wall_now();

  /* Target rows: counting sort by source, then each row sorted (insertion sort) and de-duplicated. */
  uint32_t *target_start = calloc((size_t)n + 1, sizeof(uint32_t));
  uint32_t *targets = malloc((m + 1) * sizeof(uint32_t));
  uint32_t *fill = malloc(((size_t)n + 1) * sizeof(uint32_t));
  for (size_t e = 0; e < m; e++) target_start[pairs[2 * e] + 1]++;
  for (long a = 0; a < n; a++) target_start[a + 1] += target_start[a];
  memcpy(fill, target_start, (size_t)n * sizeof(uint32_t));
  for (size_t e = 0; e < m; e++) targets[fill[pairs[2 * e]]++] = pairs[2 * e + 1];
  free(pairs);
  uint32_t kept = 0;
  for (long a = 0; a < n; a++) {
    uint32_t begin = target_start[a], end = target_start[a + 1];
    target_start[a] = kept;
    for (uint32_t i = begin + 1; i < end; i++) {
      uint32_t v = targets[i];
      uint32_t j = i;
      while (j > begin && targets[j - 1] > v) {
        targets[j] = targets[j - 1];
        j--;
      }
      targets[j] = v;
    }
    for (uint32_t i = begin; i < end; i++) {
      if (i == begin || targets[i] != targets[i - 1]) targets[kept++] = targets[i];
    }
  }
  target_start[n] = kept;
  uint32_t *live = calloc((size_t)n + 1, sizeof(uint32_t));
  for (uint32_t i = 0; i < kept; i++) live[targets[i]]++;
  double c2 = cpu_now(), w2 = wall_now();

  /* Grounded labelling: the counting algorithm with the settled arguments as the work list. */
  unsigned char *labels = calloc((size_t)n + 1, 1);
  uint32_t *order = malloc(((size_t)n + 1) * sizeof(uint32_t));
  size_t tail = 0;
  for (long a = 0; a < n; a++) {
    if (live[a] == 0) {
      labels[a] = IN;
      order[tail++] = (uint32_t)a;
    }
  }
  for (size_t head = 0; head < tail; head++) {
    uint32_t a = order[head];
    if (labels[a] == IN) {
      for (uint32_t i = target_start[a]; i < target_start[a + 1]; i++) {
        uint32_t t = targets[i];
        if (labels[t] == UNDEC) {
          labels[t] = OUT;
          order[tail++] = t;
        }
      }
    } else {
      for (uint32_t i = target_start[a]; i < target_start[a + 1]; i++) {
        uint32_t t = targets[i];
        if (labels[t] == UNDEC && --live[t] == 0) {
          labels[t] = IN;
          order[tail++] = t;
        }
      }
    }
  }
  double c3 = cpu_now(), w3 = wall_now();

  /* The answer, written through stdio's buffer. */
  fputc('w', stdout);
  for (long a = 0; a < n; a++)
    if (labels[a] == IN) printf(" %ld", a + 1);
  fputc('\n', stdout);
  fflush(stdout);
  double c4 = cpu_now(), w4 = wall_now();
  fprintf(stderr,
          "{\"parseCpu\":%.6f,\"buildCpu\":%.6f,\"labelCpu\":%.6f,\"printCpu\":%.6f,"
          "\"parseWall\":%.6f,\"buildWall\":%.6f,\"labelWall\":%.6f,\"printWall\":%.6f,\"attacks\":%u}\n",
          c1 - c0, c2 - c1, c3 - c2, c4 - c3, w1 - w0, w2 - w1, w3 - w2, w4 - w3, kept);
  return 0;
}
