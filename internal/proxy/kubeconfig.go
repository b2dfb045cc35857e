package proxy

import (
	"fmt"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Cluster is the cluster a kubeconfig context names, ready to proxy.
type Cluster struct {
	Config    *rest.Config
	Context   string // the kubeconfig context used
	Name      string // its cluster's name in the kubeconfig
	Server    string // the kube-apiserver's address
	Namespace string // the context's namespace, "default" when unset
}

// LoadKubeconfig reads a kubeconfig as kubectl does: the file at path, else
// the files in $KUBECONFIG, else ~/.kube/config; the context named by
// context, else the current one. Exec plugins and certificate files are
// resolved when the proxy first connects, by client-go's transport.
func LoadKubeconfig(path, context string) (*Cluster, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = path
	overrides := &clientcmd.ConfigOverrides{CurrentContext: context}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	raw, err := cc.RawConfig()
	if err != nil {
		return nil, fmt.Errorf("reading kubeconfig: %w", err)
	}
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	name := context
	if name == "" {
		name = raw.CurrentContext
	}
	c := &Cluster{Config: cfg, Context: name, Server: cfg.Host}
	if ctx := raw.Contexts[name]; ctx != nil {
		c.Name = ctx.Cluster
	}
	if c.Namespace, _, err = cc.Namespace(); err != nil || c.Namespace == "" {
		c.Namespace = "default"
	}
	return c, nil
}
