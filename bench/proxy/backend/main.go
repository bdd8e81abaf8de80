// Command backend is the upstream of the proxy benchmark: a small, multi-threaded net/http server
// so the backend is never the bottleneck. It listens on 127.0.0.1:$PORT (or -port), answers every
// request with 200, an `x-version` header and a small body, and — when -registry is set — writes
// <registry>/<version>-<pid>.json with its port and pid once it is listening, so the harness can
// point HAProxy at the very backends the local mesh started.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	version := flag.String("version", os.Getenv("VERSION"), "value of the x-version response header")
	port := flag.Int("port", envInt("PORT", 0), "port to listen on (127.0.0.1 only); 0 picks one")
	registry := flag.String("registry", "", "directory to write <version>-<pid>.json into once listening")
	flag.Parse()
	if *version == "" {
		log.Fatal("backend: -version (or $VERSION) is required")
	}

	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		log.Fatalf("backend: listen: %v", err)
	}
	actual := ln.Addr().(*net.TCPAddr).Port
	if *registry != "" {
		if err := register(*registry, *version, actual); err != nil {
			log.Fatalf("backend: registry: %v", err)
		}
	}

	body := []byte(fmt.Sprintf("hello from %s\n", *version))
	bodyLen := strconv.Itoa(len(body))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("x-version", *version)
		h.Set("content-type", "text/plain")
		h.Set("content-length", bodyLen)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	log.Fatal(http.Serve(ln, handler))
}

// register writes the file atomically (temp + rename) so a reader never sees half a document.
func register(dir, version string, port int) error {
	doc, err := json.Marshal(map[string]any{"version": version, "port": port, "pid": os.Getpid()})
	if err != nil {
		return err
	}
	name := filepath.Join(dir, fmt.Sprintf("%s-%d.json", version, os.Getpid()))
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, doc, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
