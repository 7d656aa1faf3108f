package webhook_test

import (
	"fmt"

	"luot/server/webhook"
)

// A gateway checks each request's X-Luot-Signature header against the
// raw body before reading it, and de-duplicates by the Idempotency-Key.
func ExampleVerify() {
	secret := []byte("the secret shared with Lượt")
	body := []byte(`{"key":"ticket/T1/called/1@3","kind":"ticket.called","phone":"+84901234567","text":"Mời số 1005 đến quầy 3"}`)
	header := webhook.Sign(secret, body) // what Lượt sends

	fmt.Println(webhook.Verify(secret, body, header))
	fmt.Println(webhook.Verify(secret, []byte(`{"key":"forged"}`), header))
	// Output:
	// true
	// false
}
