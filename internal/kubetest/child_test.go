package kubetest

import (
	"os"
	"os/exec"
	"testing"
)

// childTest reruns this test binary on one test, as KUBETEST_CHILD=1 with
// extra environment, and returns its verbose output.
func childTest(t *testing.T, name string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v")
	cmd.Env = append(os.Environ(), append(env, "KUBETEST_CHILD=1")...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
