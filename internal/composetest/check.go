// Package composetest checks compose.yaml and the Dockerfile, which no
// machine of ours can run (Docker is client-only here), against what the
// code knows: the connector's configuration variables, pinned image tags,
// the services and build stages they refer to, and loopback-only ports.
//
// Known limits: it reads the files, it does not run them; an image tag that
// is pinned but does not exist, or a simulator flag that changed, is only
// found by `docker compose up`. Compose's variable interpolation (${…}) is
// not expanded.
package composetest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Compose is the part of a compose file the checks read.
type Compose struct {
	Services map[string]Service `yaml:"services"`
}

// Service is the part of a compose service the checks read. Environment
// and DependsOn take both the list and the map forms compose allows.
type Service struct {
	Image       string    `yaml:"image"`
	Build       *Build    `yaml:"build"`
	Environment yaml.Node `yaml:"environment"`
	DependsOn   yaml.Node `yaml:"depends_on"`
	NetworkMode string    `yaml:"network_mode"`
	Ports       []string  `yaml:"ports"`
	Healthcheck *struct{} `yaml:"healthcheck"`
}

// Build is a service's build section.
type Build struct {
	Context string `yaml:"context"`
	Target  string `yaml:"target"`
}

// Inputs are the files and facts Check compares.
type Inputs struct {
	Compose    []byte
	Dockerfile []byte
	// Variables are the environment variables the connector knows.
	Variables []string
	// ConnectorService names the service that runs the connector.
	ConnectorService string
}

// Check returns every problem it finds, one sentence each, or none.
func Check(in Inputs) ([]string, error) {
	var c Compose
	if err := yaml.Unmarshal(in.Compose, &c); err != nil {
		return nil, fmt.Errorf("parsing compose file: %w", err)
	}
	stages := dockerStages(in.Dockerfile)
	var p problems
	if _, ok := c.Services[in.ConnectorService]; !ok {
		p.addf("no service %q runs the connector", in.ConnectorService)
	}
	for _, name := range sortedKeys(c.Services) {
		s := c.Services[name]
		checkImage(&p, name, s, stages)
		checkRefs(&p, name, s, c.Services)
		checkPorts(&p, name, s)
		if name == in.ConnectorService {
			checkVariables(&p, name, s, in.Variables)
		}
	}
	for _, img := range dockerBaseImages(in.Dockerfile, stages) {
		if !pinned(img) {
			p.addf("Dockerfile: base image %q has no pinned tag", img)
		}
	}
	return p, nil
}

type problems []string

func (p *problems) addf(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func checkImage(p *problems, name string, s Service, stages []string) {
	switch {
	case s.Build != nil:
		if s.Build.Target != "" && !slices.Contains(stages, s.Build.Target) {
			p.addf("service %q: build target %q is no Dockerfile stage", name, s.Build.Target)
		}
	case s.Image == "":
		p.addf("service %q has neither image nor build", name)
	case !pinned(s.Image):
		p.addf("service %q: image %q has no pinned tag", name, s.Image)
	}
}

// pinned reports whether an image reference names a tag other than latest,
// or a digest. The tag follows the last ":" after the last "/", since a
// registry host may carry a port.
func pinned(image string) bool {
	if strings.Contains(image, "@sha256:") {
		return true
	}
	last := image[strings.LastIndex(image, "/")+1:]
	_, tag, ok := strings.Cut(last, ":")
	return ok && tag != "" && tag != "latest"
}

func checkRefs(p *problems, name string, s Service, all map[string]Service) {
	for _, dep := range keysOf(s.DependsOn) {
		if _, ok := all[dep]; !ok {
			p.addf("service %q depends on %q, which is not a service", name, dep)
		}
	}
	if other, ok := strings.CutPrefix(s.NetworkMode, "service:"); ok {
		if _, ok := all[other]; !ok {
			p.addf("service %q shares the network of %q, which is not a service", name, other)
		}
	}
	for _, dep := range healthyDeps(s.DependsOn) {
		if d, ok := all[dep]; ok && d.Healthcheck == nil {
			p.addf("service %q waits for %q to be healthy, which has no healthcheck",
				name, dep)
		}
	}
}

func checkPorts(p *problems, name string, s Service) {
	for _, port := range s.Ports {
		if !strings.HasPrefix(port, "127.0.0.1:") {
			p.addf("service %q publishes %q beyond loopback; prefix it with 127.0.0.1:",
				name, port)
		}
	}
}

func checkVariables(p *problems, name string, s Service, known []string) {
	for _, v := range keysOf(s.Environment) {
		if !slices.Contains(known, v) {
			p.addf("service %q sets %s, which the connector's configuration does not know",
				name, v)
		}
	}
}

// keysOf returns the names of a compose list ("KEY=value" or "name") or map.
func keysOf(n yaml.Node) []string {
	var keys []string
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i].Value)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			k, _, _ := strings.Cut(item.Value, "=")
			keys = append(keys, k)
		}
	}
	return keys
}

// healthyDeps returns the depends_on entries with condition service_healthy.
func healthyDeps(n yaml.Node) []string {
	var deps []string
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i < len(n.Content); i += 2 {
		var d struct {
			Condition string `yaml:"condition"`
		}
		if err := n.Content[i+1].Decode(&d); err == nil && d.Condition == "service_healthy" {
			deps = append(deps, n.Content[i].Value)
		}
	}
	return deps
}

var fromLine = regexp.MustCompile(`(?im)^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?`)

// dockerStages returns the Dockerfile's stage names.
func dockerStages(dockerfile []byte) []string {
	var names []string
	for _, m := range fromLine.FindAllSubmatch(dockerfile, -1) {
		if len(m[2]) > 0 {
			names = append(names, string(m[2]))
		}
	}
	return names
}

// dockerBaseImages returns the images FROM lines name, leaving out scratch
// and earlier stages.
func dockerBaseImages(dockerfile []byte, stages []string) []string {
	var images []string
	for _, m := range fromLine.FindAllSubmatch(dockerfile, -1) {
		img := string(m[1])
		if img != "scratch" && !slices.Contains(stages, img) {
			images = append(images, img)
		}
	}
	return images
}

func sortedKeys(m map[string]Service) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
