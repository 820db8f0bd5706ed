// Package smtptest runs a real SMTP server on 127.0.0.1 for tests
// ([NewSMTPServer], with optional STARTTLS, implicit TLS and AUTH) that
// records what it receives, and provides addresses that refuse or never
// answer connections ([ClosedAddr], [SilentAddr]) and a self-signed
// certificate ([SelfSignedCert]). The listeners' tests, package alert's
// and the e2e suite share it, which is why it sits outside listeners/.
package smtptest
