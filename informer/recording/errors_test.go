package recording

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilnet "k8s.io/apimachinery/pkg/util/net"
)

// A replayed error is taken by the Reflector's predicates as the recorded
// one was.
func TestErrorsReplayAsRecorded(t *testing.T) {
	refused := fmt.Errorf("Get x: %w", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
	cases := []struct {
		name string
		err  error
		is   func(error) bool
	}{
		{"410", apierrors.NewResourceExpired("too old resource version: 1 (2)"), apierrors.IsResourceExpired},
		{"429", apierrors.NewTooManyRequests("slow down", 1), apierrors.IsTooManyRequests},
		{"403", apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "", errors.New("no")), apierrors.IsForbidden},
		{"500", apierrors.NewInternalError(errors.New("boom")), apierrors.IsInternalError},
		{"connection refused", refused, utilnet.IsConnectionRefused},
		{"anything else", errors.New("EOF"), func(err error) bool { return err.Error() == "EOF" && !utilnet.IsConnectionRefused(err) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := recordError(c.err).err()
			if !c.is(got) {
				t.Errorf("replayed %T %v is not taken as %v", got, got, c.err)
			}
			if got.Error() != c.err.Error() {
				t.Errorf("message %q, recorded %q", got.Error(), c.err.Error())
			}
		})
	}
}
