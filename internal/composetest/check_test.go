package composetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okta-connector/okta-connector/connector/config"
)

// TestRepositoryFiles checks the compose.yaml and Dockerfile at the top of
// the repository against the connector's configuration.
func TestRepositoryFiles(t *testing.T) {
	in := Inputs{
		Compose:          readRepoFile(t, "compose.yaml"),
		Dockerfile:       readRepoFile(t, "Dockerfile"),
		Variables:        config.Variables(),
		ConnectorService: "connector",
	}
	got, err := Check(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > 0 {
		t.Errorf("compose.yaml or Dockerfile:\n%s", strings.Join(got, "\n"))
	}
}

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return b
}

const goodDockerfile = `FROM golang:1.26.8 AS build
FROM scratch AS app
COPY --from=build /x /x
`

// TestCheckFindsProblems is the test of the test: each broken file must
// give exactly the problem it plants.
func TestCheckFindsProblems(t *testing.T) {
	tests := []struct {
		name       string
		compose    string
		dockerfile string
		want       []string
	}{
		{
			name: "clean",
			compose: `services:
  app: {build: {context: ., target: app}, environment: [KNOWN=1], depends_on: [db]}
  db: {image: "registry.local:5000/db:1.2"}`,
			want: nil,
		},
		{
			name: "unknown variable in map form",
			compose: `services:
  app: {image: a:1, environment: {KNOWN: x, TYPO_VAR: y}}`,
			want: []string{`service "app" sets TYPO_VAR, which the connector's ` +
				`configuration does not know`},
		},
		{
			name: "latest and untagged images",
			compose: `services:
  app: {image: a:1}
  b: {image: "b:latest"}
  c: {image: "registry.local:5000/c"}`,
			want: []string{
				`service "b": image "b:latest" has no pinned tag`,
				`service "c": image "registry.local:5000/c" has no pinned tag`,
			},
		},
		{
			name: "missing dependency and network owner",
			compose: `services:
  app: {image: a:1, depends_on: {ghost: {condition: service_started}},
        network_mode: "service:phantom"}`,
			want: []string{
				`service "app" depends on "ghost", which is not a service`,
				`service "app" shares the network of "phantom", which is not a service`,
			},
		},
		{
			name: "healthy wait without healthcheck",
			compose: `services:
  app: {image: a:1, depends_on: {db: {condition: service_healthy}}}
  db: {image: d:1}`,
			want: []string{`service "app" waits for "db" to be healthy, which has no healthcheck`},
		},
		{
			name: "unknown stage, public port, no connector",
			compose: `services:
  web: {build: {target: nope}, ports: ["8080:8080"]}`,
			want: []string{
				`no service "app" runs the connector`,
				`service "web": build target "nope" is no Dockerfile stage`,
				`service "web" publishes "8080:8080" beyond loopback; prefix it with 127.0.0.1:`,
			},
		},
		{
			name:       "unpinned Dockerfile base",
			compose:    `services: {app: {image: a:1}}`,
			dockerfile: "FROM golang AS build\nFROM build AS app\n",
			want:       []string{`Dockerfile: base image "golang" has no pinned tag`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			df := tc.dockerfile
			if df == "" {
				df = goodDockerfile
			}
			got, err := Check(Inputs{
				Compose:          []byte(tc.compose),
				Dockerfile:       []byte(df),
				Variables:        []string{"KNOWN"},
				ConnectorService: "app",
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, []string(got)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
