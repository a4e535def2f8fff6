package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/natreport/natreport/surveys"
)

// CycleReportVersions lists every version of every report of a cycle,
// keyed by State, oldest version first: what the gap summary, the exports
// and the compilation decide visibility on.
func (db *DB) CycleReportVersions(ctx context.Context, cycleID int64) (map[string][]Report, error) {
	rs, err := scanReports(db.read(ctx), "WHERE r.cycle_id = ? ORDER BY r.state_iso3, r.version", cycleID)
	if err != nil {
		return nil, err
	}
	out := map[string][]Report{}
	for _, r := range rs {
		out[r.StateISO3] = append(out[r.StateISO3], r)
	}
	return out, nil
}

// answerBatch is how many reports AnswerValues reads per query.
const answerBatch = 200

// AnswerValues reads the answer values of several report versions, keyed
// by report id then question code, in a few queries: all their answers,
// or only those to the questions codes when some are given.
func (db *DB) AnswerValues(ctx context.Context, reportIDs []int64, codes ...string) (map[int64]map[string]surveys.Value, error) {
	out := make(map[int64]map[string]surveys.Value, len(reportIDs))
	for start := 0; start < len(reportIDs); start += answerBatch {
		ids := reportIDs[start:min(start+answerBatch, len(reportIDs))]
		for _, id := range ids {
			out[id] = map[string]surveys.Value{}
		}
		// Scanned by hand: this reads every answer of a cycle, and gorm's
		// reflection cost a third of the time.
		q := db.read(ctx).Raw("SELECT report_id, question_code, value FROM answers WHERE report_id IN ?", ids)
		if len(codes) > 0 {
			q = db.read(ctx).Raw("SELECT report_id, question_code, value FROM answers WHERE report_id IN ? AND question_code IN ?", ids, codes)
		}
		rows, err := q.Rows()
		if err != nil {
			return nil, err
		}
		var (
			id   int64
			code string
			raw  []byte
		)
		for rows.Next() {
			if err := rows.Scan(&id, &code, &raw); err != nil {
				_ = rows.Close()
				return nil, err
			}
			var v surveys.Value
			if err := json.Unmarshal(raw, &v); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("answer %d/%s: %w", id, code, err)
			}
			out[id][code] = v
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// VersionsFingerprint identifies the state of the report versions of the
// given cycles (ids, statuses, visibilities, last changes of the versions
// submitted or published), of their needs
// register (count and last change) and of the cycles themselves: a compilation built at one fingerprint is stale once
// it changes.
func (db *DB) VersionsFingerprint(ctx context.Context, cycleIDs ...int64) (string, error) {
	h := sha256.New()
	for _, id := range cycleIDs {
		c, err := db.GetCycleByID(ctx, id)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "cycle %s\n", cycleJSON(c))
		var rows []struct {
			ID         int64     `gorm:"column:id"`
			Status     string    `gorm:"column:status"`
			Visibility string    `gorm:"column:visibility"`
			UpdatedAt  time.Time `gorm:"column:updated_at"`
		}
		if err := db.read(ctx).Raw("SELECT id, status, visibility, updated_at FROM reports WHERE cycle_id = ? ORDER BY id", id).Scan(&rows).Error; err != nil {
			return "", err
		}
		for _, r := range rows {
			// What a version being written says is read by nobody the
			// fingerprint serves (readers outside the State, the
			// compilation: surveys.Audience), so its saves leave it.
			at := int64(0)
			if r.Status == surveys.ReportSubmitted || r.Status == surveys.ReportPublished {
				at = r.UpdatedAt.UTC().UnixMicro()
			}
			fmt.Fprintf(h, "%d %s %s %d\n", r.ID, r.Status, r.Visibility, at)
		}
		// The needs register: a need's status changes apart from reports.
		var needs []struct {
			N    int64  `gorm:"column:n"`
			Last string `gorm:"column:last"`
		}
		if err := db.read(ctx).Raw("SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS last FROM needs WHERE cycle_id = ?", id).Scan(&needs).Error; err != nil {
			return "", err
		}
		for _, n := range needs {
			fmt.Fprintf(h, "needs %d %s\n", n.N, n.Last)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// Compilation states.
const (
	CompilationQueued  = "queued"
	CompilationRunning = "running"
	CompilationDone    = "done"
	CompilationFailed  = "failed"
)

// Compilation is the background job that builds the conference
// compilation of a cycle in one language for one audience, and its file.
type Compilation struct {
	ID          int64      `gorm:"column:id"`
	CycleID     int64      `gorm:"column:cycle_id"`
	Lang        string     `gorm:"column:lang"`
	AudienceKey string     `gorm:"column:audience_key"`
	Status      string     `gorm:"column:status"`
	Progress    int        `gorm:"column:progress"` // annexes drawn
	Total       int        `gorm:"column:total"`    // annexes to draw
	Fingerprint string     `gorm:"column:fingerprint"`
	Size        int64      `gorm:"column:size"`
	Error       string     `gorm:"column:error"`
	RequestedBy int64      `gorm:"column:requested_by"`
	RequestedAt time.Time  `gorm:"column:requested_at"`
	FinishedAt  *time.Time `gorm:"column:finished_at"`
}

const compilationCols = "id, cycle_id, lang, audience_key, status, progress, total, fingerprint, size, error, requested_by, requested_at, finished_at"

// createCompilations is migration 30.
func createCompilations(tx *gorm.DB) error {
	blob := "BLOB"
	if tx.Dialector.Name() == DialectPostgres {
		blob = "BYTEA"
	}
	return ddl(tx,
		`CREATE TABLE compilations (
			id {{id}},
			cycle_id BIGINT NOT NULL REFERENCES cycles (id),
			lang TEXT NOT NULL,
			audience_key TEXT NOT NULL,
			status TEXT NOT NULL,
			progress INTEGER NOT NULL DEFAULT 0,
			total INTEGER NOT NULL DEFAULT 0,
			fingerprint TEXT NOT NULL,
			size BIGINT NOT NULL DEFAULT 0,
			error TEXT NOT NULL DEFAULT '',
			requested_by BIGINT NOT NULL DEFAULT 0,
			requested_at {{ts}} NOT NULL,
			finished_at {{ts}},
			UNIQUE (cycle_id, lang, audience_key))`,
		// The file, in chunks: written and read one chunk at a time.
		`CREATE TABLE compilation_chunks (
			compilation_id BIGINT NOT NULL REFERENCES compilations (id) ON DELETE CASCADE,
			seq INTEGER NOT NULL,
			data `+blob+` NOT NULL,
			PRIMARY KEY (compilation_id, seq))`,
	)
}

// GetCompilation returns the compilation of a cycle in lang for audience;
// ErrNotFound when none was requested.
func (db *DB) GetCompilation(ctx context.Context, cycleID int64, lang, audience string) (*Compilation, error) {
	var out []Compilation
	err := db.read(ctx).Raw("SELECT "+compilationCols+" FROM compilations WHERE cycle_id = ? AND lang = ? AND audience_key = ?",
		cycleID, lang, audience).Scan(&out).Error
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	c := &out[0]
	c.RequestedAt = c.RequestedAt.UTC()
	if c.FinishedAt != nil {
		t := c.FinishedAt.UTC()
		c.FinishedAt = &t
	}
	return c, nil
}

// RequestCompilation queues a build of the compilation at fingerprint,
// dropping the file of an earlier one. A build queued or running at the
// same fingerprint, or done at it, is left as it is. It returns the job.
func (db *DB) RequestCompilation(ctx context.Context, cycleID int64, lang, audience, fingerprint string, userID int64) (*Compilation, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var cur []Compilation
		if err := tx.Raw("SELECT "+compilationCols+" FROM compilations WHERE cycle_id = ? AND lang = ? AND audience_key = ?",
			cycleID, lang, audience).Scan(&cur).Error; err != nil {
			return err
		}
		now := db.Now()
		if len(cur) == 0 {
			return tx.Exec(`INSERT INTO compilations (cycle_id, lang, audience_key, status, fingerprint, requested_by, requested_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, cycleID, lang, audience, CompilationQueued, fingerprint, userID, now).Error
		}
		c := cur[0]
		if c.Fingerprint == fingerprint && c.Status != CompilationFailed {
			return nil
		}
		if err := tx.Exec("DELETE FROM compilation_chunks WHERE compilation_id = ?", c.ID).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE compilations SET status = ?, progress = 0, total = 0, fingerprint = ?, size = 0, error = '',
			requested_by = ?, requested_at = ?, finished_at = NULL WHERE id = ?`,
			CompilationQueued, fingerprint, userID, now, c.ID).Error
	})
	if err != nil {
		return nil, err
	}
	return db.GetCompilation(ctx, cycleID, lang, audience)
}

// PendingCompilations lists the jobs queued or running (a running job
// whose worker died is found again through its lease).
func (db *DB) PendingCompilations(ctx context.Context) ([]Compilation, error) {
	var out []Compilation
	err := db.read(ctx).Raw("SELECT "+compilationCols+" FROM compilations WHERE status IN (?, ?) ORDER BY id",
		CompilationQueued, CompilationRunning).Scan(&out).Error
	return out, err
}

// StartCompilation marks job id running at fingerprint with total annexes
// to draw and drops any chunks of an earlier attempt. ErrConflict when the
// job was requested again meanwhile (its fingerprint changed).
func (db *DB) StartCompilation(ctx context.Context, id int64, fingerprint string, total int) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM compilation_chunks WHERE compilation_id = ?", id).Error; err != nil {
			return err
		}
		res := tx.Exec("UPDATE compilations SET status = ?, progress = 0, total = ? WHERE id = ? AND fingerprint = ?",
			CompilationRunning, total, id, fingerprint)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: compilation %d was requested again", ErrConflict, id)
		}
		return nil
	})
}

// CompilationProgress records how many annexes are drawn.
func (db *DB) CompilationProgress(ctx context.Context, id int64, done int) error {
	return db.w.WithContext(ctx).Exec("UPDATE compilations SET progress = ? WHERE id = ? AND status = ?", done, id, CompilationRunning).Error
}

// FinishCompilation records the end of job id: done with size bytes, or
// failed with a message for the log and the page (never shown raw).
func (db *DB) FinishCompilation(ctx context.Context, id int64, size int64, failure string) error {
	status := CompilationDone
	if failure != "" {
		status = CompilationFailed
	}
	return db.w.WithContext(ctx).Exec("UPDATE compilations SET status = ?, size = ?, error = ?, finished_at = ? WHERE id = ? AND status = ?",
		status, size, failure, db.Now(), id, CompilationRunning).Error
}

// chunkSize is the size of the pieces a compilation file is stored in.
const chunkSize = 1 << 20

// CompilationWriter stores a compilation file chunk by chunk as it is
// written; Close stores the last chunk. Size is the bytes written.
type CompilationWriter struct {
	db   *DB
	ctx  context.Context
	id   int64
	seq  int
	buf  []byte
	Size int64
}

// NewCompilationWriter starts writing the file of job id.
func (db *DB) NewCompilationWriter(ctx context.Context, id int64) *CompilationWriter {
	return &CompilationWriter{db: db, ctx: ctx, id: id, buf: make([]byte, 0, chunkSize)}
}

func (w *CompilationWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), chunkSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		if len(w.buf) == chunkSize {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	w.Size += int64(n)
	return n, nil
}

func (w *CompilationWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.db.w.WithContext(w.ctx).Exec("INSERT INTO compilation_chunks (compilation_id, seq, data) VALUES (?, ?, ?)",
		w.id, w.seq, w.buf).Error
	w.seq++
	w.buf = w.buf[:0]
	return err
}

// Close stores what is left.
func (w *CompilationWriter) Close() error { return w.flush() }

// CopyCompilation writes the file of job id to w one chunk at a time.
func (db *DB) CopyCompilation(ctx context.Context, id int64, w io.Writer) error {
	var n int
	if err := db.read(ctx).Raw("SELECT COUNT(*) FROM compilation_chunks WHERE compilation_id = ?", id).Scan(&n).Error; err != nil {
		return err
	}
	for seq := range n {
		var data []byte
		if err := db.read(ctx).Raw("SELECT data FROM compilation_chunks WHERE compilation_id = ? AND seq = ?", id, seq).Row().Scan(&data); err != nil {
			return fmt.Errorf("compilation %d chunk %s: %w", id, strconv.Itoa(seq), err)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}
