package main

import (
	"strconv"

	"github.com/spf13/cobra"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// apiserverConfig is what varies between runs; apiserverArgs turns it into kube-apiserver flags.
type apiserverConfig struct {
	port              int
	etcdURL           string
	certDir           string
	tokenFile         string
	serviceAccountKey string
	rbac              bool
	verbose           bool
}

// newAPIServerCommand builds upstream's kube-apiserver command, so flags, defaulting, validation
// and the server chain (aggregator -> kube-apiserver -> apiextensions) are exactly a cluster's.
// Its context is the process's signal context (SIGTERM/SIGINT cancel it); localkube cancels it
// itself with genericapiserver.RequestShutdown.
func newAPIServerCommand() *cobra.Command {
	return app.NewAPIServerCommand()
}

// apiserverArgs is envtest's minimal flag set (controller-runtime's testing control plane), for a
// single loopback server with token authentication and no other control-plane component.
func apiserverArgs(c apiserverConfig) []string {
	authz := "AlwaysAllow"
	if c.rbac {
		authz = "RBAC"
	}
	verbosity := "0"
	if c.verbose {
		verbosity = "2"
	}
	return []string{
		"--etcd-servers=" + c.etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(c.port),
		// No --tls-cert-file: the apiserver generates a self-signed CA and serving cert (SANs
		// 127.0.0.1 and the first service IP) into --cert-dir on the first start and reuses them on
		// later starts, so the kubeconfigs stay valid across restarts.
		"--cert-dir=" + c.certDir,
		"--service-cluster-ip-range=10.0.0.0/24",
		"--authorization-mode=" + authz,
		"--token-auth-file=" + c.tokenFile,
		// Service-account tokens need an issuer and a key pair; one RSA private key serves as both
		// the signing key and (its public half) the verification key, as in envtest.
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + c.serviceAccountKey,
		"--service-account-signing-key-file=" + c.serviceAccountKey,
		// The ServiceAccount admission plugin rejects pods until the token controller (in
		// kube-controller-manager, which does not run here) has created the "default" account.
		"--disable-admission-plugins=ServiceAccount",
		// The "kubernetes" Service's endpoints would be 127.0.0.1, which Endpoints validation
		// rejects (loopback), so the reconciler would log an error every 10 seconds; nothing here
		// needs that Service.
		"--endpoint-reconciler-type=none",
		"--allow-privileged=true",
		"--profiling=false",
		"--v=" + verbosity,
	}
}
