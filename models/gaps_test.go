package models

import (
	"bytes"
	"testing"

	"github.com/natreport/natreport/surveys"
)

func TestCycleReportVersionsAndAnswerValues(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		fp := newUser(t, db, RoleFocalPoint, "JPN")
		r1 := newReport(t, db, "JPN", c, actorOf(fp))
		_, err := db.SaveAnswer(ctx, r1.ID, "II.a.1", surveys.Value{Status: "yes"}, 0, actorOf(fp), func(surveys.Value) string { return "" })
		must(t, err)
		must(t, db.SetReportStatus(ctx, r1.ID, StatusDraft, StatusSubmitted, actorOf(fp)))
		r2, err := db.NewVersion(ctx, r1.ID, actorOf(fp))
		must(t, err)
		kenya := newReport(t, db, "KEN", c, actorOf(fp))

		vs, err := db.CycleReportVersions(ctx, c.ID)
		must(t, err)
		if len(vs) != 2 || len(vs["JPN"]) != 2 || vs["JPN"][0].ID != r1.ID || vs["JPN"][1].ID != r2.ID || vs["KEN"][0].ID != kenya.ID {
			t.Fatalf("versions = %+v", vs)
		}
		vals, err := db.AnswerValues(ctx, []int64{r1.ID, r2.ID, kenya.ID})
		must(t, err)
		if vals[r1.ID]["II.a.1"].Status != "yes" || vals[r2.ID]["II.a.1"].Status != "yes" || len(vals[kenya.ID]) != 0 {
			t.Errorf("values = %+v", vals)
		}

		f1, err := db.VersionsFingerprint(ctx, c.ID)
		must(t, err)
		f2, err := db.VersionsFingerprint(ctx, c.ID)
		must(t, err)
		must(t, db.SetVisibility(ctx, r1.ID, VisibilityPublic, actorOf(fp)))
		f3, err := db.VersionsFingerprint(ctx, c.ID)
		must(t, err)
		if f1 != f2 || f1 == f3 {
			t.Errorf("fingerprints %s %s %s: want the same twice, then a new one after a change", f1, f2, f3)
		}
		// A draft's answers are read by nobody the fingerprint serves
		// (summaries for readers outside the State, the compilation): a
		// save in Kenya's draft leaves it; Kenya's submission moves it.
		_, err = db.SaveAnswer(ctx, kenya.ID, "II.a.1", surveys.Value{Status: "no"}, 0, actorOf(fp), func(surveys.Value) string { return "" })
		must(t, err)
		f4, err := db.VersionsFingerprint(ctx, c.ID)
		must(t, err)
		must(t, db.SetReportStatus(ctx, kenya.ID, StatusDraft, StatusSubmitted, actorOf(fp)))
		f5, err := db.VersionsFingerprint(ctx, c.ID)
		must(t, err)
		if f4 != f3 || f5 == f4 {
			t.Errorf("fingerprints %s, after a draft's save %s, after its submission %s: want the first two the same", f3, f4, f5)
		}
	})
}

func TestCompilationJob(t *testing.T) {
	ForEachDB(t, func(t *testing.T, db *DB) {
		c := newCycle(t, db, 2026)
		_, err := db.GetCompilation(ctx, c.ID, "fr", "secretariat")
		wantErr(t, err, ErrNotFound)
		job, err := db.RequestCompilation(ctx, c.ID, "fr", "secretariat", "f1", 7)
		must(t, err)
		if job.Status != CompilationQueued || job.Fingerprint != "f1" || job.RequestedBy != 7 {
			t.Fatalf("job = %+v", job)
		}
		pending, err := db.PendingCompilations(ctx)
		must(t, err)
		if len(pending) != 1 || pending[0].ID != job.ID {
			t.Fatalf("pending = %+v", pending)
		}
		wantErr(t, db.StartCompilation(ctx, job.ID, "stale", 3), ErrConflict)
		must(t, db.StartCompilation(ctx, job.ID, "f1", 3))
		must(t, db.CompilationProgress(ctx, job.ID, 2))
		w := db.NewCompilationWriter(ctx, job.ID)
		file := bytes.Repeat([]byte("%PDF-natreport "), chunkSize/7) // a little over two chunks
		for i := 0; i < len(file); i += 5000 {
			_, err := w.Write(file[i:min(i+5000, len(file))])
			must(t, err)
		}
		must(t, w.Close())
		must(t, db.FinishCompilation(ctx, job.ID, w.Size, ""))
		got, err := db.GetCompilation(ctx, c.ID, "fr", "secretariat")
		must(t, err)
		if got.Status != CompilationDone || got.Progress != 2 || got.Total != 3 || got.Size != int64(len(file)) || got.FinishedAt == nil {
			t.Fatalf("done job = %+v", got)
		}
		var out bytes.Buffer
		must(t, db.CopyCompilation(ctx, job.ID, &out))
		if !bytes.Equal(out.Bytes(), file) {
			t.Fatalf("file read back: %d bytes, want %d", out.Len(), len(file))
		}

		// Same data: kept. New data: queued again, the old file dropped.
		again, err := db.RequestCompilation(ctx, c.ID, "fr", "secretariat", "f1", 8)
		must(t, err)
		if again.Status != CompilationDone || again.RequestedBy != 7 {
			t.Errorf("request at the same fingerprint changed the job: %+v", again)
		}
		renewed, err := db.RequestCompilation(ctx, c.ID, "fr", "secretariat", "f2", 8)
		must(t, err)
		if renewed.ID != job.ID || renewed.Status != CompilationQueued || renewed.Size != 0 || renewed.FinishedAt != nil {
			t.Errorf("renewed job = %+v", renewed)
		}
		out.Reset()
		must(t, db.CopyCompilation(ctx, job.ID, &out))
		if out.Len() != 0 {
			t.Errorf("old file kept: %d bytes", out.Len())
		}
		must(t, db.StartCompilation(ctx, job.ID, "f2", 0))
		must(t, db.FinishCompilation(ctx, job.ID, 0, "boom"))
		failed, err := db.GetCompilation(ctx, c.ID, "fr", "secretariat")
		must(t, err)
		if failed.Status != CompilationFailed || failed.Error != "boom" {
			t.Errorf("failed job = %+v", failed)
		}
	})
}
