package gonames

import "testing"

func TestExported(t *testing.T) {
	tests := map[string]string{
		"created_at":      "CreatedAt",
		"createdAt":       "CreatedAt",
		"html_url":        "HTMLURL",
		"userID":          "UserID",
		"contactId":       "ContactID",
		"contact.read":    "ContactRead",
		"user.email.read": "UserEmailRead",
		"issue_number":    "IssueNumber",
		"2fa":             "X2fa",
		"":                "X",
		"@type":           "Type",
		"ids":             "IDs",
		"labelIds":        "LabelIDs",
		"urls":            "URLs",
		"status":          "Status",
	}
	for in, want := range tests {
		if got := Exported(in); got != want {
			t.Errorf("Exported(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsExported(t *testing.T) {
	for s, want := range map[string]bool{"Contact": true, "contact": false, "Get Contact": false, "": false} {
		if got := IsExported(s); got != want {
			t.Errorf("IsExported(%q) = %v, want %v", s, got, want)
		}
	}
}
