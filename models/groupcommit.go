package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// maxGroup is the most saves committed in one transaction.
const maxGroup = 128

// When a save of a group fails (not a refusal: a statement failed after
// it wrote), the group runs again with each save under a savepoint,
// released before the next save (also after it is rolled back to), so
// one name serves them all.
const (
	savepointSet     = "SAVEPOINT save"
	savepointUndo    = "ROLLBACK TO SAVEPOINT save"
	savepointRelease = "RELEASE SAVEPOINT save"
)

// groupCommitter commits concurrent saves together on SQLite. SQLite has
// one writer, and each commit waits for the disk (synchronous=FULL): with
// one transaction per save, saves queue behind each other's fsync. The
// committer takes the first waiting save, drains every save that arrived
// meanwhile, runs them one after another in one transaction, commits once
// and only then answers each caller. A save refused inside the group (a
// conflict, a read-only report) is refused before it writes anything, and
// the others go on. A save that fails after writing (a statement refused
// by the database) makes the committer roll the group back and run it
// again with each save under its own savepoint, so that the failing save
// alone is undone (isolated). If the commit fails, every save of the
// group fails and none is stored.
type groupCommitter struct {
	db      *DB
	queue   chan *groupSave
	closing chan struct{}
	done    sync.WaitGroup
	largest atomic.Int64 // the largest group committed so far (for tests and logs)
	reruns  atomic.Int64 // the groups run again isolated (for tests)
}

type groupSave struct {
	ctx   context.Context
	req   SaveRequest
	reply chan groupReply
}

type groupReply struct {
	res SaveResult
	err error
}

func newGroupCommitter(db *DB) *groupCommitter {
	g := &groupCommitter{db: db, queue: make(chan *groupSave, maxGroup), closing: make(chan struct{})}
	g.done.Add(1)
	go g.run()
	return g
}

// save queues req and waits for its group's commit. A caller that gives
// up (ctx done) before the commit gets ctx's error; its save may still be
// stored, as with a reply lost on the network, but was never acknowledged.
func (g *groupCommitter) save(ctx context.Context, req SaveRequest) (SaveResult, error) {
	s := &groupSave{ctx: ctx, req: req, reply: make(chan groupReply, 1)}
	select {
	case g.queue <- s:
	case <-g.closing:
		return SaveResult{}, errClosed
	case <-ctx.Done():
		return SaveResult{}, ctx.Err()
	}
	select {
	case r := <-s.reply:
		return r.res, r.err
	case <-ctx.Done():
		return SaveResult{}, ctx.Err()
	}
}

var errClosed = fmt.Errorf("database closed")

func (g *groupCommitter) run() {
	defer g.done.Done()
	for {
		var first *groupSave
		select {
		case first = <-g.queue:
		case <-g.closing:
			// Answer what is still queued: nothing more is committed.
			for {
				select {
				case s := <-g.queue:
					s.reply <- groupReply{err: errClosed}
				default:
					return
				}
			}
		}
		group := []*groupSave{first}
	drain:
		for len(group) < maxGroup {
			select {
			case s := <-g.queue:
				group = append(group, s)
			default:
				break drain
			}
		}
		if n := int64(len(group)); n > g.largest.Load() {
			g.largest.Store(n)
		}
		g.commit(group)
	}
}

// commit stores a group in one transaction and answers each save.
func (g *groupCommitter) commit(group []*groupSave) {
	replies, err := g.attempt(group, false)
	if errors.Is(err, errIsolate) {
		g.reruns.Add(1)
		replies, err = g.attempt(group, true)
	}
	for i, s := range group {
		r := replies[i]
		if err != nil && (r.err == nil || !isRefusal(r.err)) {
			// The commit failed: nothing of the group is stored.
			r = groupReply{err: err}
		}
		s.reply <- r
	}
}

// errIsolate: a save of a group failed after writing; the group runs
// again, isolated.
var errIsolate = errors.New("a save failed inside its group")

// attempt runs the group in one transaction and commits it. Unless
// isolated, a save that fails after writing rolls everything back
// (errIsolate): only refusals, which write nothing, are answered within
// the group. Isolated, each save runs under a savepoint and a failing
// one is undone alone.
func (g *groupCommitter) attempt(group []*groupSave, isolated bool) ([]groupReply, error) {
	replies := make([]groupReply, len(group))
	err := g.db.tx(context.Background(), func(tx *gorm.DB) error {
		t, err := g.db.newSaveTxn(tx, true)
		if err != nil {
			return err
		}
		for i, s := range group {
			if err := s.ctx.Err(); err != nil {
				replies[i].err = err // the caller left before its turn: not stored
				continue
			}
			ctx := context.WithoutCancel(s.ctx)
			if !isolated {
				replies[i].res, replies[i].err = t.save(ctx, s.req)
				if err := replies[i].err; err != nil && !isRefusal(err) {
					if len(group) > 1 {
						return fmt.Errorf("%w: %w", errIsolate, err)
					}
					return err
				}
				continue
			}
			if err := g.isolated(ctx, t, s.req, &replies[i]); err != nil {
				return err
			}
		}
		// The reports the group changed, touched once each.
		return t.flush(context.Background())
	})
	return replies, err
}

// isolated runs one save of a group under a savepoint: if it fails, it
// is undone alone and its reply says why.
func (g *groupCommitter) isolated(ctx context.Context, t *saveTxn, req SaveRequest, reply *groupReply) error {
	if _, err := t.exec(ctx, savepointSet); err != nil {
		return err
	}
	// A save that fails has not touched its report yet (t.touch comes last).
	res, err := t.save(ctx, req)
	if err != nil {
		// Undo this save alone, then leave its savepoint.
		if _, rerr := t.exec(ctx, savepointUndo); rerr != nil {
			return rerr
		}
		if _, rerr := t.exec(ctx, savepointRelease); rerr != nil {
			return rerr
		}
		*reply = groupReply{res: res, err: err}
		return nil
	}
	_, err = t.exec(ctx, savepointRelease)
	reply.res = res
	return err
}

// isRefusal reports whether a save's error is a refusal of that save alone
// (it wrote nothing), rather than a failure of the transaction.
func isRefusal(err error) bool {
	return isAny(err, ErrConflict, ErrReadOnly, ErrNotFound, ErrInvalid)
}

// close stops the committer after the group in hand.
func (g *groupCommitter) close() {
	close(g.closing)
	g.done.Wait()
}
