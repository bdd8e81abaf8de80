// Command localkube runs an embedded etcd and a real kube-apiserver in one process, so that
// mesh-exp's integration tests talk to the same API machinery (CRD schemas, CEL rules, RBAC,
// merge-patch semantics) as a cluster would, without a cluster, a container runtime or an etcd
// package (Debian's etcd 3.4 is older than kube-apiserver supports).
//
// Everything it needs lives under --data-dir, so a stop and a start with the same directory keep
// every object, the certificates, the tokens and therefore the kubeconfigs.
//
// Contract with the harness (test/support/localkube.ts): exactly one line
// "localkube ready https://127.0.0.1:PORT" on stdout once /readyz answers ok and the kubeconfigs
// are written; SIGTERM/SIGINT stop the apiserver, then etcd, and the exit code is 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	genericapiserver "k8s.io/apiserver/pkg/server"
)

// options are localkube's own flags; everything else is fixed (see apiserver.go).
type options struct {
	dataDir string
	port    int
	rbac    bool
	verbose bool
	// exitWithStdin ties localkube's life to its parent's: see watchStdin.
	exitWithStdin bool
}

func main() {
	os.Exit(run())
}

func run() int {
	var o options
	flag.StringVar(&o.dataDir, "data-dir", "", "directory for etcd data, certificates, tokens, kubeconfigs and logs (created if missing; reused on restart)")
	flag.IntVar(&o.port, "port", 0, "secure port on 127.0.0.1 (0 picks a free one; pass the same port on restart so kubeconfigs stay valid)")
	flag.BoolVar(&o.rbac, "rbac", false, "authorize with RBAC instead of AlwaysAllow")
	flag.BoolVar(&o.verbose, "verbose", false, "apiserver and etcd logs on stderr at a higher verbosity instead of into files under --data-dir")
	flag.BoolVar(&o.exitWithStdin, "exit-with-stdin", false, "shut down when stdin reaches end of file (the parent closed it or died)")
	flag.Parse()
	if o.dataDir == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: localkube --data-dir DIR [--port N] [--rbac] [--verbose]")
		return 2
	}
	if err := serve(o); err != nil {
		fmt.Fprintf(errOut, "localkube: %v\n", err)
		return 1
	}
	return 0
}

// serve runs until a signal (or a component failure) and shuts everything down in order:
// apiserver first, so it does not log etcd connection errors while etcd goes away.
func serve(o options) error {
	dir, err := filepath.Abs(o.dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := quietLogs(dir, o.verbose); err != nil {
		return err
	}
	if o.port == 0 {
		if o.port, err = freePort(); err != nil {
			return err
		}
	}

	// The apiserver command installs the process's SIGTERM/SIGINT handler when it is built (its
	// signal context), so build it before anything slow: a signal during etcd start-up then
	// cancels that context instead of killing the process with a non-zero status.
	creds, err := prepareCredentials(dir)
	if err != nil {
		return err
	}
	cmd := newAPIServerCommand()
	stopped := cmd.Context()
	if o.exitWithStdin {
		go watchStdin()
	}

	etcd, etcdURL, err := startEtcd(dir, o.verbose)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer etcd.Close()
	if stopped.Err() != nil {
		return nil
	}

	certDir := filepath.Join(dir, "certs")
	cmd.SetArgs(apiserverArgs(apiserverConfig{
		port: o.port, etcdURL: etcdURL, certDir: certDir, tokenFile: creds.tokenFile,
		serviceAccountKey: creds.serviceAccountKey, rbac: o.rbac, verbose: o.verbose,
	}))
	apiserverDone := make(chan error, 1)
	go func() { apiserverDone <- cmd.Execute() }()

	server := fmt.Sprintf("https://127.0.0.1:%d", o.port)
	caFile := filepath.Join(certDir, "apiserver.crt")
	readyCtx, cancelReady := context.WithTimeout(stopped, 2*time.Minute)
	defer cancelReady()
	readyErr := make(chan error, 1)
	go func() { readyErr <- becomeReady(readyCtx, dir, server, caFile, creds) }()

	for {
		select {
		case err := <-readyErr:
			if err != nil && stopped.Err() == nil {
				genericapiserver.RequestShutdown()
				<-apiserverDone
				return fmt.Errorf("not ready: %w (logs: %s)", err, filepath.Join(dir, "localkube.log"))
			}
			if err == nil {
				fmt.Printf("localkube ready %s\n", server)
			}
			readyErr = nil // a nil channel blocks: wait for the other cases only
		case err := <-etcd.Err():
			// etcd failed under a running apiserver: stop it rather than serve errors.
			genericapiserver.RequestShutdown()
			<-apiserverDone
			return fmt.Errorf("etcd stopped: %w", err)
		case err := <-apiserverDone:
			if stopped.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
				return nil // the signal we were waiting for
			}
			if err == nil {
				err = errors.New("exited without a signal")
			}
			return fmt.Errorf("kube-apiserver: %w (logs: %s)", err, filepath.Join(dir, "localkube.log"))
		}
	}
}

// becomeReady waits for /readyz, makes sure the default namespace exists (no controller-manager
// runs, and the apiserver's own system-namespaces controller creates it asynchronously, after
// /readyz may already be ok) and writes the kubeconfigs, which need the CA the apiserver generated.
func becomeReady(ctx context.Context, dir, server, caFile string, creds credentials) error {
	if err := waitReadyz(ctx, server, caFile, creds.adminToken); err != nil {
		return err
	}
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	if err := ensureDefaultNamespace(ctx, server, ca, creds.adminToken); err != nil {
		return fmt.Errorf("default namespace: %w", err)
	}
	return writeKubeconfigs(dir, server, ca, creds)
}

// watchStdin requests a graceful shutdown once stdin ends. A test harness keeps the write end of
// a pipe open and never writes: if the test process dies, even by SIGKILL where no exit hook
// runs, the kernel closes the pipe, and localkube stops instead of living on as an orphan.
func watchStdin() {
	_, _ = io.Copy(io.Discard, os.Stdin)
	genericapiserver.RequestShutdown()
}

// freePort asks the kernel for a free loopback port. Another process could take it before we
// bind it; the harness picks its own port, so this is only for interactive use.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
