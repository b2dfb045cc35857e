package kubetest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/rest"
)

// Private is a kube-apiserver + etcd pair of one test's own, for tests
// that break it (a restart, a storage rebuild) and must not disturb the
// shared one that `make test` started.
type Private struct {
	Config *rest.Config
	Env    EnvFile
	runDir string
	root   string
}

// StartPrivate starts a private pair with hack/kube-apiserver/start.sh
// (about 4 s with the binaries built, which the shared server guarantees)
// and stops it when the test ends. Like Env, it skips the test when no
// real server is configured, or fails it when one is required.
func StartPrivate(t testing.TB) *Private {
	t.Helper()
	Env(t) // the shared server's presence decides skip or fail
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	p := &Private{runDir: t.TempDir(), root: root}
	t.Cleanup(p.stop) // registered after TempDir, so it runs before the removal
	start := time.Now()
	cmd := exec.Command(filepath.Join(root, "hack/kube-apiserver/start.sh"), p.runDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("start.sh: %v\n%s", err, out)
	}
	if err := p.load(); err != nil {
		t.Fatal(err)
	}
	t.Logf("private kube-apiserver %s ready in %v", p.Config.Host, time.Since(start).Round(100*time.Millisecond))
	return p
}

func (p *Private) load() error {
	f, err := os.Open(filepath.Join(p.runDir, "env"))
	if err != nil {
		return err
	}
	defer f.Close()
	if p.Env, err = ParseEnvFile(f); err != nil {
		return err
	}
	p.Config, err = p.Env.RESTConfig()
	return err
}

func (p *Private) stop() {
	exec.Command(filepath.Join(p.root, "hack/kube-apiserver/stop.sh"), p.runDir).Run()
}

// RestartAPIServer kills the kube-apiserver, as a crash does (etcd keeps
// running, so no data is lost), starts it again with the same command line
// and waits until it is ready. down is called while it is stopped.
//
// KILL, not TERM: with a watch open, v1.37.2's graceful shutdown waited
// 38 s here for long-running requests, which the tests cannot afford; a
// killed server drops every connection at once.
func (p *Private) RestartAPIServer(t testing.TB, down func()) {
	t.Helper()
	pid, err := strconv.Atoi(p.Env["APISERVER_PID"])
	if err != nil {
		t.Fatalf("APISERVER_PID: %v", err)
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")
	if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); exe != p.Env["APISERVER_BIN"] {
		t.Fatalf("pid %d is %q, not the recorded kube-apiserver", pid, exe)
	}
	proc, _ := os.FindProcess(pid)
	proc.Signal(syscall.SIGKILL)
	for i := 0; i < 300; i++ {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d/exe", pid)); err != nil {
			break
		}
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); exe == "" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if down != nil {
		down()
	}
	logf, err := os.OpenFile(filepath.Join(p.runDir, "kube-apiserver.log"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go cmd.Wait() // reap it when stop.sh ends it
	if err := p.setEnv("APISERVER_PID", strconv.Itoa(cmd.Process.Pid)); err != nil {
		t.Fatal(err)
	}
	if err := p.waitReady(60 * time.Second); err != nil {
		t.Fatal(err)
	}
}

// setEnv rewrites one KEY=VALUE line of the env file, so that stop.sh
// stops the process now running.
func (p *Private) setEnv(key, val string) error {
	path := filepath.Join(p.runDir, "env")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, key+"=") {
			lines[i] = key + "=" + val
		}
	}
	p.Env[key] = val
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600)
}

func (p *Private) waitReady(limit time.Duration) error {
	c, err := rest.HTTPClientFor(p.Config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", p.Config.Host+"/readyz", nil)
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kube-apiserver not ready after %v", limit)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// repoRoot is the directory of the module's go.mod, found upwards from the
// test's working directory (its package directory).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "hack/kube-apiserver/start.sh")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("hack/kube-apiserver/start.sh not found above the working directory")
		}
		dir = parent
	}
}
