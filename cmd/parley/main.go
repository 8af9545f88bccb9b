// Command parley models and forecasts multi-actor political negotiations.
//
//	parley forecast [--model M] [--variant V] [--rounds N] [--json] [SCENARIO]
//	parley validate FILE...
//	parley show [SCENARIO]
//	parley models
//	parley scenarios
//
// SCENARIO is a file (YAML, JSON or BDM CSV, detected from the content) or
// the name of a built-in scenario; none means kosovo-2007. Invalid input
// exits with status 2 and lists every problem on standard error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/scenario"
)

// usageError marks a problem with the user's input: exit status 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usage(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// usageArgs makes a wrong number of arguments, like a bad flag, a usage
// error (exit status 2) in cmd and every command below it.
func usageArgs(cmd *cobra.Command) {
	if args := cmd.Args; args != nil {
		cmd.Args = func(c *cobra.Command, a []string) error {
			if err := args(c, a); err != nil {
				var ue usageError
				if errors.As(err, &ue) {
					return err
				}
				return usageError{err}
			}
			return nil
		}
	}
	for _, c := range cmd.Commands() {
		usageArgs(c)
	}
}

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line and returns the exit status. SIGINT
// (Ctrl-C) or SIGTERM cancels the command's context: a model run, sweep,
// analysis, process or backtest stops promptly (a sweep keeps its finished
// draws).
func execute(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, args, stdout, stderr)
}

// runContext is execute under ctx.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := newRoot()
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ps scenario.Problems
	var ue usageError
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintln(stderr, "parley: interrupted; nothing written")
		return 1
	case errors.As(err, &ps):
		for _, p := range ps {
			fmt.Fprintln(stderr, p)
		}
		fmt.Fprintf(stderr, "%s found\n", plural.Count(len(ps), "problem"))
		return 2
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "parley:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "parley:", err)
		return 1
	}
}
