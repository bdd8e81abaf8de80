package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// startEtcd starts a single-member etcd in this process, data under DIR/etcd, listening on
// loopback only. It returns once etcd serves clients, with the client URL for --etcd-servers.
//
// In-process rather than a separate binary because Debian's etcd package (3.4) is older than
// kube-apiserver supports, and a module-built etcd would be a second binary to build and
// supervise; the etcd version is then the one k8s.io/kubernetes itself pins (see go.mod).
func startEtcd(dir string, verbose bool) (*embed.Etcd, string, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, "", err
	}
	clientURL := url.URL{Scheme: "http", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))}
	peerURL := url.URL{Scheme: "http", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[1]))}

	cfg := embed.NewConfig()
	cfg.Name = "localkube"
	cfg.Dir = filepath.Join(dir, "etcd")
	// Fresh ports on every start: on a restart etcd takes its membership from the data directory
	// and a single member never dials its own peer URL, so a changed port is harmless, while a
	// remembered one could have been taken by another process meanwhile.
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	// No fsync, as k8s.io/apiserver's own embedded test etcd does: a graceful stop, and even a
	// killed process, leave the data in the page cache and so on disk; only a machine crash could
	// lose writes, which does not matter for test data, and fsync costs seconds per test run.
	cfg.UnsafeNoFsync = true
	// The apiserver compacts every 5 minutes by itself; etcd's defaults (2 GiB quota) are fine.
	cfg.LogLevel = "error"
	cfg.LogOutputs = []string{filepath.Join(dir, "etcd.log")}
	if verbose {
		cfg.LogLevel = "info"
		cfg.LogOutputs = []string{"stderr"}
	}

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, clientURL.String(), nil
	case err := <-e.Err():
		e.Close()
		return nil, "", err
	case <-time.After(60 * time.Second):
		e.Server.Stop()
		e.Close()
		return nil, "", errors.New("not ready after 60s (see etcd.log in the data directory)")
	}
}

// freePorts reserves n distinct loopback ports by holding all listeners open until every port is
// known (closing one before the next is opened could hand out the same port twice).
func freePorts(n int) ([]int, error) {
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("no free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
