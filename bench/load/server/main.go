// Command server is the target of the load benchmark: a net/http server (never the bottleneck on
// its own CPU) that answers every request with 200, an `x-version` header and a small body, and
// notes when each request ARRIVED, so that every engine is judged by the same clock: the arrivals
// the server saw against the ideal open-model schedule (first arrival + k/rate).
//
// Control endpoints (not recorded): GET /__reset clears the record; GET /__schedule?rate=R
// returns JSON with the count of arrivals, the connections opened, and how far behind the ideal
// schedule the arrivals were (percentiles and the share more than 1 ms behind).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

type recorder struct {
	mu       sync.Mutex
	arrivals []int64 // ns since `origin`, in the order handlers ran
	conns    atomic.Int64
	origin   time.Time
}

func (r *recorder) note() {
	t := time.Since(r.origin).Nanoseconds()
	r.mu.Lock()
	r.arrivals = append(r.arrivals, t)
	r.mu.Unlock()
}

// Schedule is what /__schedule returns.
type Schedule struct {
	Count       int     `json:"count"`
	Connections int64   `json:"connections"`
	SpanMs      float64 `json:"spanMs"`
	// Measured is the count of arrivals after the warm-up, which the figures below describe.
	Measured    int     `json:"measured"`
	BehindP50Ms float64 `json:"behindP50Ms"`
	BehindP99Ms float64 `json:"behindP99Ms"`
	BehindMaxMs float64 `json:"behindMaxMs"`
	// ShareOver1Ms is the share of arrivals more than 1 ms behind the ideal schedule.
	ShareOver1Ms float64 `json:"shareOver1Ms"`
}

func (r *recorder) schedule(rate, warmupMs float64) Schedule {
	r.mu.Lock()
	a := append([]int64(nil), r.arrivals...)
	r.mu.Unlock()
	sort.Slice(a, func(i, j int) bool { return a[i] < a[j] })
	s := Schedule{Count: len(a), Connections: r.conns.Load()}
	if len(a) == 0 {
		return s
	}
	behind := make([]float64, 0, len(a))
	over := 0
	step := 1e9 / rate
	for k, t := range a {
		if float64(t-a[0]) < warmupMs*1e6 {
			continue
		}
		// Early arrivals count as on time: an engine that sends early is not behind.
		b := (float64(t-a[0]) - float64(k)*step) / 1e6
		if b < 0 {
			b = 0
		}
		behind = append(behind, b)
		if b > 1 {
			over++
		}
	}
	s.SpanMs = float64(a[len(a)-1]-a[0]) / 1e6
	if len(behind) == 0 {
		return s
	}
	sort.Float64s(behind)
	at := func(q float64) float64 { return behind[int(q*float64(len(behind)-1))] }
	s.BehindP50Ms, s.BehindP99Ms, s.BehindMaxMs = at(0.5), at(0.99), behind[len(behind)-1]
	s.Measured = len(behind)
	s.ShareOver1Ms = float64(over) / float64(len(behind))
	return s
}

func main() {
	port := flag.Int("port", 0, "port to listen on (127.0.0.1 only); 0 picks one")
	flag.Parse()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		log.Fatalf("server: listen: %v", err)
	}
	rec := &recorder{origin: time.Now(), arrivals: make([]int64, 0, 1<<20)}
	body := []byte("hello from v1\n")
	bodyLen := strconv.Itoa(len(body))
	mux := http.NewServeMux()
	mux.HandleFunc("/__reset", func(w http.ResponseWriter, _ *http.Request) {
		rec.mu.Lock()
		rec.arrivals = rec.arrivals[:0]
		rec.mu.Unlock()
		rec.conns.Store(0)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/__schedule", func(w http.ResponseWriter, r *http.Request) {
		rate, err := strconv.ParseFloat(r.URL.Query().Get("rate"), 64)
		if err != nil || rate <= 0 {
			http.Error(w, "rate must be a positive number", http.StatusBadRequest)
			return
		}
		warmup, _ := strconv.ParseFloat(r.URL.Query().Get("warmupMs"), 64)
		w.Header().Set("content-type", "application/json")
		_ = json.NewEncoder(w).Encode(rec.schedule(rate, warmup))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		rec.note()
		h := w.Header()
		h.Set("x-version", "v1")
		h.Set("content-type", "text/plain")
		h.Set("content-length", bodyLen)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	srv := &http.Server{Handler: mux, ConnState: func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			rec.conns.Add(1)
		}
	}}
	// The harness reads the port from the first line of stdout.
	fmt.Fprintf(os.Stdout, "%d\n", ln.Addr().(*net.TCPAddr).Port)
	log.Fatal(srv.Serve(ln))
}
