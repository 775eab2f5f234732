// Package sandbox runs a provider for tests without the provider: a real
// OAuth2 authorization server and a simulator of the provider's API, both
// built from a capgen provider spec and served on loopback.
//
// The authorization server is ory/fosite with in-memory storage: the
// authorization code flow with PKCE (S256), refresh with rotation, RFC 7662
// introspection and RFC 7009 revocation. A scripted user stands in for the
// login and consent pages (GrantAll, Deny, GrantOnly, DenyAll). Scope lists
// are read with the provider's separator, and token responses report the
// granted scopes where the spec's granted_scopes says: Slack's and GitHub's
// comma-separated scope, HubSpot's scopes array.
//
// The simulator serves every operation of the spec. It checks each bearer
// token with the authorization server and the token's scopes, with the
// provider's implications, against the operation's requirement. Failures
// come in the provider's own shape, built from the spec's error rules, so
// the capgen runtime classifies them as it would the real provider's: a
// missing scope as a 403 naming the scopes, an expired token as a 401.
// Successes carry a sample of the operation's response type.
//
// A test starts both with one call and runs the flow headlessly:
//
//	sb := sandbox.Start(t, "hubspot", sandbox.WithConsent(sandbox.Deny("crm.objects.deals.read")))
//	tok, err := sb.Authorize(ctx, "crm.objects.contacts.read", "crm.objects.deals.read")
//	client := hubspot.NewClient(sb.Config().TokenSource(ctx, tok),
//		capability.WithBaseURL(sb.BaseURL))
//
// Expire, Revoke and RevokeAll change the tokens under the client's feet;
// Calls lists what the simulator served. The command capgen-sandbox runs the
// same pair by hand.
//
// The sandbox is a module of its own so that fosite never reaches the
// programs that use capgen's runtime.
package sandbox
