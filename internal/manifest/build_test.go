package manifest_test

import (
	"slices"
	"testing"

	"github.com/capgen/capgen/internal/manifest"
	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/scope"
	"github.com/capgen/capgen/internal/spec"
)

func build(t *testing.T, config string) (*manifest.Manifest, *model.Config, *model.Catalog) {
	t.Helper()
	cfg, cat, diags := spec.ParseConfig(spec.Source{Path: "capgen.yaml", Data: []byte(config)})
	if cfg == nil {
		t.Fatalf("config does not load:\n%v", diags)
	}
	m, err := manifest.Build(cfg, cat)
	if err != nil {
		t.Fatal(err)
	}
	return m, cfg, cat
}

const config = `package: integrations
output: ./integrations
providers: [hubspot, github, googledrive, slack]
features:
  contact_sync:
    requires: [contact.read]
    optional: [company.read, contact.write]
  profile:
    requires: [user.read, user.email.read]
    providers: [github]
  files:
    requires: [file.read, file.share]
  notify:
    requires: [message.write]
    optional: [user.email.read]
`

func TestBuildChoosesTheMinimalCover(t *testing.T) {
	m, _, _ := build(t, config)
	tests := []struct {
		provider           string
		required, optional []string
	}{
		{"hubspot", []string{"crm.objects.contacts.read"},
			[]string{"crm.objects.companies.read", "crm.objects.contacts.write"}},
		// user implies read:user and user:email: one scope instead of two.
		{"github", []string{"user"}, []string{}},
		// drive.file is the narrowest scope that serves both capabilities.
		{"googledrive", []string{"https://www.googleapis.com/auth/drive.file"}, []string{}},
		{"slack", []string{"chat:write"}, []string{"users:read", "users:read.email"}},
	}
	for _, tt := range tests {
		p := m.Providers[tt.provider]
		if !slices.Equal(p.Required, tt.required) || !slices.Equal(p.Optional, tt.optional) {
			t.Errorf("%s: required %v optional %v; want %v and %v", tt.provider,
				p.Required, p.Optional, tt.required, tt.optional)
		}
	}
	if s := m.Providers["github"].Scopes["user"]; !slices.Equal(s.Capabilities,
		[]string{"user.email.read", "user.read"}) || !slices.Equal(s.Features, []string{"profile"}) {
		t.Errorf("github user scope: %+v", s)
	}
}

// TestManifestCoversEveryGeneratedCapability is property 3 of the design: a
// capability the consumer's code can reach is satisfied by the manifest's
// scopes, required ones by the required scopes alone.
func TestManifestCoversEveryGeneratedCapability(t *testing.T) {
	m, cfg, cat := build(t, config)
	for _, p := range cat.Providers {
		mp := m.Providers[p.Name]
		imp := scope.Implications{}
		for _, s := range p.Scopes {
			imp[s.Name] = s.Implies
		}
		for _, f := range cfg.FeaturesOf(p.Name) {
			for _, c := range slices.Concat(f.Requires, f.Optional) {
				capSpec, ok := p.Capability(c)
				if !ok {
					continue
				}
				asked := mp.Required
				if !slices.Contains(f.Requires, c) {
					asked = slices.Concat(mp.Required, mp.Optional)
				}
				if !imp.Satisfies(asked, capSpec.Requirement) {
					t.Errorf("%s: %s of feature %s is not covered by %v", p.Name, c, f.Name, asked)
				}
			}
		}
	}
}

func TestEncodingIsStable(t *testing.T) {
	m1, _, _ := build(t, config)
	m2, _, _ := build(t, config)
	a, _ := manifest.Encode(m1)
	b, _ := manifest.Encode(m2)
	if string(a) != string(b) {
		t.Error("two builds of the same config encode differently")
	}
	back, err := manifest.Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := manifest.Encode(back)
	if string(a) != string(c) {
		t.Error("decoding and encoding again changes the manifest")
	}
}

func TestDefaultScopesAreAlwaysRequired(t *testing.T) {
	m, _, _ := build(t, `package: integrations
output: ./integrations
providers: [microsoftgraph]
features:
  mail:
    requires: [mail.read]
`)
	p := m.Providers["microsoftgraph"]
	if !slices.Contains(p.Required, "offline_access") || !p.Scopes["offline_access"].Default {
		t.Errorf("required %v, offline_access entry %+v; want the spec's default scope required",
			p.Required, p.Scopes["offline_access"])
	}
}
