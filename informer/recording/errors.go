package recording

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	utilnet "k8s.io/apimachinery/pkg/util/net"
)

// recordError keeps what the Reflector branches on: the API Status (code,
// reason, causes) or that nobody answered.
func recordError(err error) *Error {
	e := &Error{Message: err.Error()}
	var s apierrors.APIStatus
	if errors.As(err, &s) {
		st := s.Status()
		e.Status = &st
	}
	e.ConnectionRefused = utilnet.IsConnectionRefused(err)
	return e
}

// err rebuilds an error the Reflector takes as it took the recorded one.
func (e *Error) err() error {
	switch {
	case e.Status != nil:
		return &apierrors.StatusError{ErrStatus: *e.Status}
	case e.ConnectionRefused:
		// The shape net/http returns, so utilnet.IsConnectionRefused
		// finds the errno.
		return &replayedError{msg: e.Message, cause: &net.OpError{Op: "dial", Net: "tcp",
			Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	}
	return &replayedError{msg: e.Message}
}

// replayedError is a recorded error that is not an API Status: its text,
// and for a refused connection the errno.
type replayedError struct {
	msg   string
	cause error
}

func (e *replayedError) Error() string { return e.msg }
func (e *replayedError) Unwrap() error { return e.cause }

// DivergedError is the answer to a call the recording does not have next:
// the replayed informer asked for something else than the recorded one did.
type DivergedError struct {
	Call int    // 1-based index of the recorded call
	Want string // the recorded verb, or "" past the end
	Got  string
}

func (e *DivergedError) Error() string {
	if e.Want == "" {
		return fmt.Sprintf("replay: the recording has %d calls; call %d (%s) is past its end", e.Call-1, e.Call, e.Got)
	}
	return fmt.Sprintf("replay diverged at call %d: the recording has a %s, the informer made a %s", e.Call, e.Want, e.Got)
}
