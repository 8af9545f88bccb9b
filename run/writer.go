// Writer leases: a sweep's recorder holds its run's writer lease
// (store.Lease) while it writes, so that no second process resumes the run
// meanwhile.

package run

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parley-project/parley/store"
)

// Lease timing: a writer holds its run's lease for LeaseTTL and renews it
// every LeaseRenew while it writes; a process killed outright leaves a
// lease that lapses within LeaseTTL.
const (
	LeaseTTL   = 2 * time.Minute
	LeaseRenew = 30 * time.Second
)

// writerLease is a run's writer lease as its writer holds it: taken by
// take, renewed in the background until release.
type writerLease struct {
	st    store.Store
	id    int64
	owner string        // this writer's lease token
	stop  chan struct{} // closed by release: the renewal stops
	ended chan struct{} // closed when the renewal has stopped
	mu    sync.Mutex
	err   error // the lease could not be renewed
}

// take takes run id's writer lease under a new owner token, from a writer
// known to be gone if need be, and renews it every LeaseRenew until
// release.
func (l *writerLease) take(ctx context.Context, st store.Store, id int64) error {
	l.st, l.id, l.owner = st, id, newOwner()
	err := st.Lease(ctx, id, l.owner, LeaseTTL)
	var le *store.LeaseError
	if errors.As(err, &le) && WriterGone(le.Owner) {
		err = st.TakeLease(ctx, id, le.Owner, l.owner, LeaseTTL)
	}
	if err != nil {
		return err
	}
	l.stop, l.ended = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.ended)
		t := time.NewTicker(LeaseRenew)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				if err := st.Lease(context.Background(), id, l.owner, LeaseTTL); err != nil {
					l.mu.Lock()
					l.err = fmt.Errorf("run %d: the writer lease could not be renewed, so the sweep stops: %w", id, err)
					l.mu.Unlock()
					return
				}
			}
		}
	}()
	return nil
}

// release stops renewing the lease and releases it; it does nothing when
// the lease was not taken or is already released.
func (l *writerLease) release() {
	if l.stop == nil {
		return
	}
	select {
	case <-l.stop:
		return
	default:
	}
	close(l.stop)
	<-l.ended
	l.st.Release(context.Background(), l.id, l.owner)
}

// lost is the error of a lease that could not be renewed, if any.
func (l *writerLease) lost() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// newOwner is a writer's lease token: the machine's name, the process id
// and a random part, so that a process resuming a sweep on the same
// machine can tell a writer that was killed (its process is gone) from
// one still at work (see WriterGone).
func newOwner() string {
	var b [8]byte
	rand.Read(b[:])
	host, _ := os.Hostname()
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(b[:])
}

// WriterGone reports whether the writer that owner names is known to be
// gone: it ran on this machine and its process no longer exists. A
// writer on another machine, or one whose token does not say, is not
// known to be gone: its lease has to lapse.
func WriterGone(owner string) bool {
	parts := strings.Split(owner, "/")
	if len(parts) != 3 {
		return false
	}
	host, _ := os.Hostname()
	pid, err := strconv.Atoi(parts[1])
	if err != nil || host == "" || parts[0] != host || pid <= 0 {
		return false
	}
	return !processAlive(pid)
}
