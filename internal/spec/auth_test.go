package spec_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/spec"
)

func TestAuthResolves(t *testing.T) {
	tests := []struct {
		name string
		auth string
		want model.OAuth2
	}{{
		name: "defaults",
		auth: `
    authorize_url: https://acme.example/oauth/authorize
    token_url: https://acme.example/oauth/token`,
		want: model.OAuth2{
			AuthorizeURL: "https://acme.example/oauth/authorize",
			TokenURL:     "https://acme.example/oauth/token",
			RefreshURL:   "https://acme.example/oauth/token",
			ScopeParam:   "scope", ScopeSeparator: " ", CodeParam: "code",
			PKCE: "unsupported", ClientAuth: "body", TokenRequestFormat: "form",
		},
	}, {
		name: "every key",
		auth: `
    authorize_url: https://{region}.acme.example/{tenant}/authorize?app={app}
    token_url: https://{region}.acme.example/{tenant}/token
    refresh_url: https://{region}.acme.example/{tenant}/refresh
    placeholder_defaults:
      region: eu
    scope_param: scopes
    scope_separator: ","
    default_scopes: [offline_access]
    params:
      audience: https://{tenant}.acme.example
      prompt: consent
    param_names:
      client_id: app_key
      response_type: ""
    omit_empty: true
    nonce: true
    code_param: acme_code
    pkce: required
    client_auth: basic
    token_request_format: json
    token_params:
      expiring: 1
    refresh_params:
      type: refresh`,
		want: model.OAuth2{
			AuthorizeURL:        "https://{region}.acme.example/{tenant}/authorize?app={app}",
			TokenURL:            "https://{region}.acme.example/{tenant}/token",
			RefreshURL:          "https://{region}.acme.example/{tenant}/refresh",
			PlaceholderDefaults: []model.Param{{Name: "region", Value: "eu"}},
			ScopeParam:          "scopes", ScopeSeparator: ",",
			DefaultScopes: []string{"offline_access"},
			Params: []model.Param{{Name: "audience", Value: "https://{tenant}.acme.example"},
				{Name: "prompt", Value: "consent"}},
			ParamNames: []model.Param{{Name: "client_id", Value: "app_key"},
				{Name: "response_type", Value: ""}},
			OmitEmpty: true, Nonce: true, CodeParam: "acme_code",
			PKCE: "required", ClientAuth: "basic", TokenRequestFormat: "json",
			TokenParams:   []model.Param{{Name: "expiring", Value: "1"}},
			RefreshParams: []model.Param{{Name: "type", Value: "refresh"}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := spec.Source{Path: "providers/acme.yaml", Data: []byte(authSpec(tt.auth))}
			cat, diags := spec.Load(spec.Source{Path: "capabilities.yaml", Data: []byte(testVocabulary)},
				[]spec.Source{src})
			if cat == nil {
				t.Fatalf("the spec does not load:\n%s", diagText(diags))
			}
			if diff := cmp.Diff(tt.want, *cat.Providers[0].Auth); diff != "" {
				t.Errorf("resolved auth differs (-want +got):\n%s", diff)
			}
		})
	}
}

// authSpec is a provider spec around an oauth2 section.
func authSpec(oauth2 string) string {
	return `provider: acme
base_url: https://api.acme.example
auth:
  oauth2:` + oauth2 + `
scopes:
  contacts.read:
    description: Read contacts.
  offline_access:
    description: Keep access while the user is away.
capabilities:
  contact.read:
    any_of: [[contacts.read]]
operations:
  ListContacts:
    method: GET
    path: /contacts
    capability: contact.read
`
}
