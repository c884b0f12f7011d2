// What each part of the journal's schema and statements costs a drain, in instructions per job.
//
// A C copy of Docket's drain: the journal's schema (version 10) and the statements of one job's life,
// one transaction per batch that completes the previous batch and claims the next (claims of 64 by
// default), WAL, synchronous = NORMAL, no checkpoints, the connection in multi-thread mode as the
// journal opens it. Each flag removes or changes one part, so that run.sh, which counts instructions
// in drain() with callgrind, says what that part costs. Keep the schema and the statements in step
// with Sources/DocketSQLite (JournalSchema.swift, SQLiteJournal+Claim.swift, +Transitions.swift,
// JobCountDeltas.swift); BENCHMARKS.md has the figures.
//
//   cc -O2 -g -o /tmp/sqlcost sqlcost.c -lsqlite3 && bash run.sh            # every variant
//   /tmp/sqlcost -n 100000 -b 64                                            # wall time and CPU
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/resource.h>

static sqlite3 *db;
static void ex(const char *sql) {
    char *err = 0;
    if (sqlite3_exec(db, sql, 0, 0, &err) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, err); exit(1); }
}
static sqlite3_stmt *prep(const char *sql) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, 0) != SQLITE_OK) {
        fprintf(stderr, "prepare %s: %s\n", sql, sqlite3_errmsg(db)); exit(1);
    }
    return s;
}
static long long now_us(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return t.tv_sec * 1000000LL + t.tv_nsec / 1000; }
static double cpu_s(void) { struct rusage r; getrusage(RUSAGE_SELF, &r); return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6; }

static int opt_state = 1, opt_finished = 1, opt_unique = 1, opt_schedule = 1, opt_counts = 1, opt_names = 1,
           opt_prio = 1, opt_returning = 1, opt_claimidx_state = 0, opt_sync_full = 0, opt_lean = 0, opt_narrow = 0, opt_batchc = 0, opt_state_ns = 1;
static sqlite3_stmt *s_bcomplete;
static long long N = 100000; static int B = 64;

static sqlite3_stmt *s_begin, *s_commit, *s_claim, *s_complete, *s_count, *s_sel, *s_upd;
static long long ids[4096], atts[4096]; static int nclaimed = 0;

static int claim(long long now) {
    int n = 0;
    if (opt_returning) {
        sqlite3_stmt *c = s_claim;
        sqlite3_bind_text(c, 1, "5b8c6a1e-4d0f-4f7e-9d2a-111111111111", -1, SQLITE_STATIC);
        sqlite3_bind_int64(c, 2, now + 300000000LL); sqlite3_bind_int64(c, 3, now); sqlite3_bind_int64(c, 4, now);
        sqlite3_bind_int64(c, 5, B);
        if (opt_names) sqlite3_bind_text(c, 6, "[\"noop\"]", -1, SQLITE_STATIC);
        while (sqlite3_step(c) == SQLITE_ROW) {
            ids[n] = sqlite3_column_int64(c, 0); atts[n] = sqlite3_column_int64(c, 6);
            // read the columns as the journal does
            for (int i = 1; i < (opt_narrow ? 8 : 16); i++) { if (sqlite3_column_type(c, i) == SQLITE_TEXT) (void)sqlite3_column_text(c, i); else if (sqlite3_column_type(c, i) == SQLITE_BLOB) (void)sqlite3_column_blob(c, i); }
            n++;
        }
        sqlite3_reset(c);
    } else {
        sqlite3_stmt *c = s_sel;
        sqlite3_bind_int64(c, 1, now); sqlite3_bind_int64(c, 2, B);
        if (opt_names) sqlite3_bind_text(c, 3, "[\"noop\"]", -1, SQLITE_STATIC);
        while (sqlite3_step(c) == SQLITE_ROW) {
            ids[n] = sqlite3_column_int64(c, 0); atts[n] = sqlite3_column_int64(c, 6) + 1;
            for (int i = 1; i < (opt_narrow ? 8 : 16); i++) { if (sqlite3_column_type(c, i) == SQLITE_TEXT) (void)sqlite3_column_text(c, i); else if (sqlite3_column_type(c, i) == SQLITE_BLOB) (void)sqlite3_column_blob(c, i); }
            n++;
        }
        sqlite3_reset(c);
        for (int i = 0; i < n; i++) {
            sqlite3_stmt *u = s_upd;
            sqlite3_bind_int64(u, 1, ids[i]);
            sqlite3_bind_text(u, 2, "5b8c6a1e-4d0f-4f7e-9d2a-111111111111", -1, SQLITE_STATIC);
            sqlite3_bind_int64(u, 3, now + 300000000LL); sqlite3_bind_int64(u, 4, now);
            sqlite3_step(u); if (sqlite3_changes(db) != 1) { fprintf(stderr, "lost claim\n"); exit(1); }
            sqlite3_reset(u);
        }
    }
    return n;
}

static void counts(int k, int state, int delta) {
    sqlite3_bind_text(s_count, 1, "default", -1, SQLITE_STATIC);
    sqlite3_bind_text(s_count, 2, "noop", -1, SQLITE_STATIC);
    sqlite3_bind_int(s_count, 3, state); sqlite3_bind_int(s_count, 4, delta);
    sqlite3_step(s_count); sqlite3_reset(s_count); (void)k;
}

void drain(long long *commits) {
    do {
        long long now = now_us();
        sqlite3_step(s_begin); sqlite3_reset(s_begin);
        if (opt_batchc && nclaimed) {
            static char json[65536]; int off = 0; json[off++] = '[';
            for (int i = 0; i < nclaimed; i++) off += sprintf(json + off, "%s[%lld,%lld]", i ? "," : "", ids[i], atts[i]);
            json[off++] = ']'; json[off] = 0;
            sqlite3_bind_text(s_bcomplete, 1, json, off, SQLITE_STATIC); sqlite3_bind_int64(s_bcomplete, 2, now);
            sqlite3_step(s_bcomplete);
            if (sqlite3_changes(db) != nclaimed) { fprintf(stderr, "batch lost %d\n", sqlite3_changes(db)); exit(1); }
            sqlite3_reset(s_bcomplete);
        } else
        for (int i = 0; i < nclaimed; i++) {
            sqlite3_bind_int64(s_complete, 1, ids[i]); sqlite3_bind_int64(s_complete, 2, atts[i]); sqlite3_bind_int64(s_complete, 3, now);
            sqlite3_step(s_complete);
            if (sqlite3_changes(db) != 1) { fprintf(stderr, "lost %lld\n", ids[i]); exit(1); }
            sqlite3_reset(s_complete);
        }
        int done = nclaimed;
        nclaimed = claim(now);
        if (opt_counts) {
            if (nclaimed) counts(0, 0, -nclaimed);
            if (nclaimed - done) counts(0, 1, nclaimed - done);
            if (done) counts(0, 2, done);
        }
        if (sqlite3_step(s_commit) != SQLITE_DONE) { fprintf(stderr, "commit: %s\n", sqlite3_errmsg(db)); exit(1); }
        sqlite3_reset(s_commit);
        (*commits)++;
    } while (nclaimed > 0);
}

int main(int argc, char **argv) {
    const char *path = "/tmp/sqlstudy.db";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-n")) N = atoll(argv[++i]);
        else if (!strcmp(a, "-b")) B = atoi(argv[++i]);
        else if (!strcmp(a, "-p")) path = argv[++i];
        else if (!strcmp(a, "--no-state")) opt_state = 0;
        else if (!strcmp(a, "--no-finished")) opt_finished = 0;
        else if (!strcmp(a, "--no-unique")) opt_unique = 0;
        else if (!strcmp(a, "--no-schedule")) opt_schedule = 0;
        else if (!strcmp(a, "--no-counts")) opt_counts = 0;
        else if (!strcmp(a, "--no-names")) opt_names = 0;
        else if (!strcmp(a, "--no-prio")) opt_prio = 0;
        else if (!strcmp(a, "--no-returning")) opt_returning = 0;
        else if (!strcmp(a, "--full")) opt_sync_full = 1;
        else if (!strcmp(a, "--narrow")) opt_narrow = 1;
        else if (!strcmp(a, "--batch-complete")) opt_batchc = 1;
        else if (!strcmp(a, "--state-v9")) opt_state_ns = 0;
        else if (!strcmp(a, "--state-in-list")) { opt_claimidx_state = 1; opt_state_ns = 0; }
        else { fprintf(stderr, "unknown %s\n", a); return 2; }
    }
    char buf[1024];
    unlink(path); snprintf(buf, sizeof buf, "%s-wal", path); unlink(buf); snprintf(buf, sizeof buf, "%s-shm", path); unlink(buf);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, 0) != SQLITE_OK) return 1;
    ex("PRAGMA journal_mode = WAL");
    ex(opt_sync_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    ex("PRAGMA wal_autocheckpoint = 0");
    if (opt_narrow) { ex("CREATE TABLE jobs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, queue TEXT NOT NULL, priority INTEGER NOT NULL, payload BLOB NOT NULL, state INTEGER NOT NULL, run_at INTEGER NOT NULL, attempt INTEGER NOT NULL, max_attempts INTEGER NOT NULL, lease_owner TEXT, lease_expires_at INTEGER, updated_at INTEGER NOT NULL, finished_at INTEGER, attempted_at INTEGER)"); opt_unique = 0; opt_schedule = 0; } else
    ex("CREATE TABLE jobs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, queue TEXT NOT NULL, priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 9), payload BLOB NOT NULL, state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 4), run_at INTEGER NOT NULL, attempt INTEGER NOT NULL, max_attempts INTEGER NOT NULL, unique_key TEXT, lease_owner TEXT, lease_expires_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, finished_at INTEGER, last_error TEXT, timeout_us INTEGER, retry TEXT, attempted_at INTEGER, unique_scope INTEGER NOT NULL DEFAULT 0 CHECK (unique_scope IN (0, 1)), schedule_name TEXT, schedule_fire_at INTEGER, payload_apart INTEGER NOT NULL DEFAULT 0 CHECK (payload_apart IN (0, 1)), trace_context TEXT)");
    ex("CREATE INDEX jobs_claim ON jobs (priority, run_at, id) WHERE state = 0");
    if (opt_unique) ex("CREATE UNIQUE INDEX jobs_unique_key_held ON jobs (unique_key) WHERE unique_key IS NOT NULL AND (state IN (0, 1) OR (state = 2 AND unique_scope = 1))");
    if (opt_schedule) ex("CREATE INDEX jobs_schedule ON jobs (schedule_name, schedule_fire_at) WHERE schedule_name IS NOT NULL");
    if (opt_finished) ex("CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE finished_at IS NOT NULL");
    if (opt_state && opt_state_ns) ex("CREATE INDEX jobs_state ON jobs (state + 0) WHERE state <> 0 AND state <> 2"); else
    if (opt_state) ex(opt_claimidx_state ? "CREATE INDEX jobs_state ON jobs (state + 0) WHERE state IN (1, 3, 4)" : "CREATE INDEX jobs_state ON jobs (state + 0) WHERE state <> 2");
    ex("CREATE TABLE attempts (seq INTEGER PRIMARY KEY, job_id INTEGER NOT NULL, attempt INTEGER NOT NULL, owner TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER, outcome TEXT, error TEXT)");
    ex("CREATE INDEX attempts_job ON attempts (job_id, attempt)");
    ex("CREATE TABLE job_counts (queue TEXT NOT NULL, name TEXT NOT NULL, state INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (queue, name, state)) WITHOUT ROWID");
    ex("CREATE TABLE job_payloads (job_id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
    sqlite3_stmt *ins = opt_narrow ? prep("INSERT INTO jobs (name, queue, priority, payload, state, run_at, attempt, max_attempts, updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, 0, ?6, ?8)") : prep("INSERT INTO jobs (name, queue, priority, payload, state, run_at, attempt, max_attempts, unique_key, created_at, updated_at, timeout_us, retry, unique_scope, schedule_name, schedule_fire_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, 0, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT DO NOTHING");
    s_begin = prep("BEGIN IMMEDIATE"); s_commit = prep("COMMIT");
    const char *prio = opt_prio ? "AND priority IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9) " : "";
    const char *names = opt_names ? "AND name IN (SELECT value FROM json_each(?6)) " : "";
    const char *cols = opt_narrow ? "id, name, queue, priority, payload, run_at, attempt, max_attempts" : "id, name, queue, priority, payload, run_at, attempt, max_attempts, unique_key, created_at, last_error, timeout_us, retry, unique_scope, schedule_name, schedule_fire_at";
    snprintf(buf, sizeof buf, "UPDATE jobs SET state = 1, attempt = attempt + 1, lease_owner = ?1, lease_expires_at = ?2, updated_at = ?3, attempted_at = ?3 WHERE id IN (SELECT id FROM jobs WHERE state = 0 %sAND run_at <= ?4 AND attempt < max_attempts %sORDER BY priority, run_at, id LIMIT ?5) RETURNING %s", prio, names, cols);
    s_claim = prep(buf);
    const char *names3 = opt_names ? "AND name IN (SELECT value FROM json_each(?3)) " : "";
    snprintf(buf, sizeof buf, "SELECT %s FROM jobs WHERE state = 0 %sAND run_at <= ?1 AND attempt < max_attempts %sORDER BY priority, run_at, id LIMIT ?2", cols, prio, names3);
    s_sel = prep(buf);
    s_upd = prep("UPDATE jobs SET state = 1, attempt = attempt + 1, lease_owner = ?2, lease_expires_at = ?3, updated_at = ?4, attempted_at = ?4 WHERE id = ?1 AND state = 0 AND attempt < max_attempts");
    s_complete = prep("UPDATE jobs SET state = 2, finished_at = ?3, lease_expires_at = NULL, updated_at = ?3 WHERE id = ?1 AND state = 1 AND (?2 IS NULL OR attempt = ?2)");
    s_bcomplete = prep("UPDATE jobs SET state = 2, finished_at = ?2, lease_expires_at = NULL, updated_at = ?2 FROM (SELECT value ->> 0 AS jid, value ->> 1 AS att FROM json_each(?1)) AS c WHERE jobs.id = c.jid AND jobs.state = 1 AND jobs.attempt = c.att");
    s_count = prep("INSERT INTO job_counts (queue, name, state, count) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET count = count + excluded.count");
    long long t0 = now_us();
    for (long long i = 0; i < N; i += 1000) {
        ex("BEGIN IMMEDIATE");
        for (long long j = i; j < i + 1000 && j < N; j++) {
            sqlite3_bind_text(ins, 1, "noop", -1, SQLITE_STATIC); sqlite3_bind_text(ins, 2, "default", -1, SQLITE_STATIC);
            sqlite3_bind_int(ins, 3, 5); sqlite3_bind_blob(ins, 4, "{}", 2, SQLITE_STATIC);
            sqlite3_bind_int64(ins, 5, t0); sqlite3_bind_int(ins, 6, 3); sqlite3_bind_null(ins, 7);
            sqlite3_bind_int64(ins, 8, t0); sqlite3_bind_null(ins, 9); sqlite3_bind_null(ins, 10);
            sqlite3_bind_int(ins, 11, 0); sqlite3_bind_null(ins, 12); sqlite3_bind_null(ins, 13);
            sqlite3_step(ins); sqlite3_reset(ins);
        }
        if (opt_counts) counts(0, 0, (int)(N - i < 1000 ? N - i : 1000));
        ex("COMMIT");
    }
    ex("PRAGMA wal_checkpoint(TRUNCATE)");
    long long commits = 0;
    double c0 = cpu_s(); long long w0 = now_us();
    drain(&commits);
    double c1 = cpu_s(); long long w1 = now_us();
    printf("{\"jobs\":%lld,\"batch\":%d,\"commits\":%lld,\"cpu_us_per_job\":%.2f,\"jobs_per_s\":%.0f}\n", N, B, commits, (c1 - c0) * 1e6 / N, N * 1e6 / (double)(w1 - w0));
    sqlite3_close(db);
    unlink(path); snprintf(buf, sizeof buf, "%s-wal", path); unlink(buf); snprintf(buf, sizeof buf, "%s-shm", path); unlink(buf);
    return 0;
}
