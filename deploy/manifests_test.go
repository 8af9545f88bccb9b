// Package deploy holds Parley's container image definition and
// Kubernetes manifests (docs/deploy.md, "Running Parley in containers
// and on Kubernetes"). It is a module of its own so that the Kubernetes
// API modules its test decodes the manifests with stay out of Parley's
// main module.
package deploy

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// document is one YAML document of a manifest file.
type document struct {
	file string
	n    int
	data []byte
}

func (d document) String() string { return fmt.Sprintf("%s (document %d)", d.file, d.n) }

// documents reads every manifest under k8s/, split at "---" lines.
func documents(t *testing.T) []document {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("k8s", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	var out []document
	sep := regexp.MustCompile(`(?m)^---\s*$`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, part := range sep.Split(string(data), -1) {
			if strings.TrimSpace(regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAllString(part, "")) == "" {
				continue
			}
			out = append(out, document{file: f, n: i + 1, data: []byte(part)})
		}
	}
	return out
}

// decodeStrict decodes a document into the Kubernetes type of its kind,
// refusing any field the type does not have (a misspelt or misplaced
// field that kubectl would drop or the API server refuse).
func decodeStrict(t *testing.T, d document) any {
	t.Helper()
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(d.data, &tm); err != nil {
		t.Fatalf("%s: %v", d, err)
	}
	var obj any
	switch tm.APIVersion + " " + tm.Kind {
	case "batch/v1 Job":
		obj = &batchv1.Job{}
	case "apps/v1 Deployment":
		obj = &appsv1.Deployment{}
	case "v1 Service":
		obj = &corev1.Service{}
	default:
		t.Fatalf("%s: kind %s %s is not one this test knows", d, tm.APIVersion, tm.Kind)
	}
	if err := yaml.UnmarshalStrict(d.data, obj); err != nil {
		t.Fatalf("%s: %v", d, err)
	}
	return obj
}

// TestManifestsDecodeStrictly: every manifest is a Job, Deployment or
// Service whose every field the Kubernetes API types know; and the
// decoder does refuse an unknown field.
func TestManifestsDecodeStrictly(t *testing.T) {
	kinds := map[string]int{}
	for _, d := range documents(t) {
		switch o := decodeStrict(t, d).(type) {
		case *batchv1.Job:
			kinds["Job"]++
			checkPod(t, d, o.Spec.Template.Spec)
		case *appsv1.Deployment:
			kinds["Deployment"]++
			checkPod(t, d, o.Spec.Template.Spec)
			if sel := o.Spec.Selector.MatchLabels; !labelsIn(sel, o.Spec.Template.Labels) {
				t.Errorf("%s: selector %v does not select the pods %v", d, sel, o.Spec.Template.Labels)
			}
		case *corev1.Service:
			kinds["Service"]++
		}
	}
	if kinds["Job"] != 2 || kinds["Deployment"] != 1 || kinds["Service"] != 1 {
		t.Errorf("kinds %v, want 2 Jobs (sweep, merge), a Deployment and a Service", kinds)
	}
	bad := document{file: "inline", n: 1, data: []byte("apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 80}], typo: 1}\n")}
	if err := yaml.UnmarshalStrict(bad.data, &corev1.Service{}); err == nil || !strings.Contains(err.Error(), "typo") {
		t.Errorf("an unknown field was not refused: %v", err)
	}
}

func labelsIn(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return len(sel) > 0
}

// checkPod: every container runs the Parley image as a non-root user on
// a read-only root file system, with resources bounded, and starts a
// Parley command (the image's entrypoint is the binary: no shell).
func checkPod(t *testing.T, d document, p corev1.PodSpec) {
	t.Helper()
	if sc := p.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Errorf("%s: the pod does not run as a non-root user", d)
	}
	for _, c := range p.Containers {
		if !strings.HasPrefix(c.Image, "registry.example.org/parley:") {
			t.Errorf("%s: container %s runs %s", d, c.Name, c.Image)
		}
		if len(c.Command) > 0 {
			t.Errorf("%s: container %s overrides the entrypoint with %v (the image has no shell)", d, c.Name, c.Command)
		}
		if len(c.Args) == 0 || !slices.Contains([]string{"sweep", "serve"}, c.Args[0]) {
			t.Errorf("%s: container %s: args %v", d, c.Name, c.Args)
		}
		if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s: container %s may write its root file system or escalate", d, c.Name)
		}
		if c.Resources.Limits.Memory().IsZero() || c.Resources.Limits.Cpu().IsZero() {
			t.Errorf("%s: container %s has no resource limits", d, c.Name)
		}
	}
}

// TestSweepJobShards: the sweep Job's completions are the shards its
// pods split the draws into, each pod writes the file its index names,
// and the merge Job reads those files.
func TestSweepJobShards(t *testing.T) {
	var sweep, merge *batchv1.Job
	for _, d := range documents(t) {
		if j, ok := decodeStrict(t, d).(*batchv1.Job); ok {
			switch j.Name {
			case "parley-sweep":
				sweep = j
			case "parley-sweep-merge":
				merge = j
			}
		}
	}
	if sweep == nil || merge == nil {
		t.Fatal("want the Jobs parley-sweep and parley-sweep-merge")
	}
	if sweep.Spec.CompletionMode == nil || *sweep.Spec.CompletionMode != batchv1.IndexedCompletion || sweep.Spec.Completions == nil {
		t.Fatalf("parley-sweep is not an Indexed Job with completions")
	}
	args := strings.Join(sweep.Spec.Template.Spec.Containers[0].Args, " ")
	want := fmt.Sprintf("--shard-index=$(JOB_COMPLETION_INDEX)/%d", *sweep.Spec.Completions)
	if !strings.Contains(args, want) || !strings.Contains(args, "--output=/results/part-$(JOB_COMPLETION_INDEX).json") {
		t.Errorf("sweep args %q lack %q or the per-index output", args, want)
	}
	if p := sweep.Spec.Parallelism; p == nil || *p > *sweep.Spec.Completions {
		t.Errorf("parallelism %v", p)
	}
	if margs := merge.Spec.Template.Spec.Containers[0].Args; !slices.Equal(margs[:2], []string{"sweep", "merge"}) || !slices.Contains(margs, "/results/part-*.json") {
		t.Errorf("merge args %v", margs)
	}
}

// TestContainerfile: the image is the cgo-free binary on an empty base,
// run as a non-root user.
func TestContainerfile(t *testing.T) {
	data, err := os.ReadFile("Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	var froms []string
	user := ""
	for _, line := range bytes.Split(data, []byte("\n")) {
		f := strings.Fields(string(line))
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			froms = append(froms, f[1])
		case "USER":
			user = f[1]
		}
	}
	if len(froms) != 2 || !strings.HasPrefix(froms[1], "gcr.io/distroless/static") && froms[1] != "scratch" {
		t.Errorf("stages %v: want a build stage and an empty (scratch or distroless static) base", froms)
	}
	if user == "" || strings.HasPrefix(user, "0") || strings.HasPrefix(user, "root") {
		t.Errorf("USER %q: want a non-root user", user)
	}
	if !bytes.Contains(data, []byte("CGO_ENABLED=0 go build")) || !bytes.Contains(data, []byte(`ENTRYPOINT ["/parley"]`)) {
		t.Error("the image does not hold the static binary as its entrypoint")
	}
}
