"""Authentication: sign-in, sessions, one-time tokens, throttles, the password policy and known devices."""
