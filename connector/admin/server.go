package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Timeouts of the admin server. A scrape or a probe is small; anything
// slower is a stuck client, not a slow one.
const (
	DefaultReadyTimeout = 2 * time.Second
	readHeaderTimeout   = 5 * time.Second
	writeTimeout        = 30 * time.Second
	shutdownTimeout     = 5 * time.Second
)

// Config configures the admin server.
type Config struct {
	Addr  string // ADMIN_ADDR, e.g. 127.0.0.1:9090
	Board *StatusBoard
	// Metrics serves /metrics (metrics.Metrics.Handler); nil answers 404.
	Metrics http.Handler
	// Ready names the conditions /readyz checks, e.g. "broker" and
	// "checkpoints".
	Ready        map[string]Readiness
	ReadyTimeout time.Duration // per /readyz request; default DefaultReadyTimeout
	Logger       *slog.Logger
}

// Server is the admin endpoint. It is safe for concurrent use.
type Server struct {
	cfg Config
	mux *http.ServeMux
}

// New returns a server for cfg; it does not listen yet.
func New(cfg Config) *Server {
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = DefaultReadyTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Board == nil {
		cfg.Board = NewStatusBoard(nil)
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /status", s.status)
	if cfg.Metrics != nil {
		s.mux.Handle("GET /metrics", cfg.Metrics)
	}
	return s
}

// Handler is the server's routes, for tests and for mounting elsewhere.
func (s *Server) Handler() http.Handler { return s.mux }

// ListenAndServe listens on Config.Addr and serves until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on admin address %q: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, then shuts down gracefully and
// returns nil; it closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.cfg.Logger.Info("serving admin endpoint", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serving admin endpoint on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down admin endpoint: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving admin endpoint on %s: %w", ln.Addr(), err)
	}
	return nil
}

// healthz answers while the process can serve HTTP at all.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeText(w, http.StatusOK, "ok\n")
}

// readyz runs every readiness check and lists those that fail.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadyTimeout)
	defer cancel()
	names := make([]string, 0, len(s.cfg.Ready))
	for name := range s.cfg.Ready {
		names = append(names, name)
	}
	sort.Strings(names)
	var failed []string
	for _, name := range names {
		if err := s.cfg.Ready[name].Ready(ctx); err != nil {
			failed = append(failed, name+": not ready: "+err.Error())
		}
	}
	if len(failed) > 0 {
		writeText(w, http.StatusServiceUnavailable, strings.Join(failed, "\n")+"\n")
		return
	}
	writeText(w, http.StatusOK, "ok\n")
}

// status writes the board as JSON.
func (s *Server) status(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s.cfg.Board.Snapshot()); err != nil {
		s.cfg.Logger.Debug("writing status", "error", err)
	}
}

// writeText writes a short plain-text answer.
func writeText(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
