package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// stuck is a value whose JSON encoding waits until release is closed, as
// encoding 10,000 rounds of kosovo-2007 (150 MB) keeps encoding/json busy
// for about 1.5 s; started is closed once the encoding has begun.
type stuck struct{ started, release chan struct{} }

func (s stuck) MarshalJSON() ([]byte, error) {
	close(s.started)
	<-s.release
	return []byte(`"late"`), nil
}

// TestOutputStopsOnCtrlC: a Ctrl-C (the command's context ending) while a
// result is being rendered stops the command at once, writing nothing to
// the -o file or to standard output; before, the rendering ran to its end
// and the output was written. A context that ends after the rendering but
// before the writing writes nothing either.
func TestOutputStopsOnCtrlC(t *testing.T) {
	for _, output := range []string{"", "out.json"} {
		t.Run("output="+output, func(t *testing.T) {
			path := ""
			if output != "" {
				path = filepath.Join(t.TempDir(), output)
			}
			v := stuck{make(chan struct{}), make(chan struct{})}
			defer close(v.release)
			ctx, cancel := context.WithCancel(t.Context())
			var stdout bytes.Buffer
			done := make(chan error, 1)
			go func() { done <- emitResult(ctx, &stdout, path, true, v, nil) }()
			<-v.started
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("emitResult: %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("emitResult waited for the rendering after the context ended")
			}
			if stdout.Len() != 0 {
				t.Errorf("wrote %q to standard output", stdout.String())
			}
			if path != "" {
				if _, err := os.Stat(path); !os.IsNotExist(err) {
					t.Errorf("%s written (%v)", path, err)
				}
			}
		})
	}
	// Ended while the rendering finished (the Ctrl-C came during it):
	// nothing is written.
	ctx, cancel := context.WithCancel(t.Context())
	var stdout bytes.Buffer
	err := emitResult(ctx, &stdout, "", false, nil, func(w io.Writer) error {
		cancel()
		_, err := io.WriteString(w, "the report\n")
		return err
	})
	if !errors.Is(err, context.Canceled) || stdout.Len() != 0 {
		t.Errorf("emitResult: %v, wrote %q; want context.Canceled and nothing", err, stdout.String())
	}
}
