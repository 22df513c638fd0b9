// MARK: - JWTFixtures

/// A test certificate and RS256 assertions signed offline with its private key (not kept) and with another key.
/// Claims: iss leadsync-sandbox-client, sub integration@leadsync.example, aud https://login.salesforce.com,
/// exp 2100-01-01.
enum JWTFixtures {
    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIDIzCCAgugAwIBAgIUSzQzH7tBa1Xvv4Dlp6QGV5d+87QwDQYJKoZIhvcNAQEL
        BQAwIDEeMBwGA1UEAwwVbGVhZHN5bmMtc2FuZGJveC10ZXN0MCAXDTI2MTEyMzAz
        MDcwN1oYDzIxMjYxMDMwMDMwNzA3WjAgMR4wHAYDVQQDDBVsZWFkc3luYy1zYW5k
        Ym94LXRlc3QwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC5zOfwB5FA
        Lv6r+lEZmmIWCOXnQp+I+82mMEZOYTH4EHsGn6R0kb5M3jUmEXpV2xi/bPOyGRRh
        wvBB4ZNTmBi21gJUz/c5TnNGXGg5/5v3F6Sb2H5yqLVB44GeEvSqTOdtjL6J3oak
        QhebWFGKRc7vlNoOP7yRQAU6aFwd4S9K3l+raz2khvhzoGjME81uEBtGKudZaJ8O
        krIARENZZDl1ltDCAnN7FZOFcfmTPcK1ep8g3mjUO9OfAPITilPBe/RusDa8NaV5
        XtVWaTqO8xj4N70gm220VytFvxqzZl+6GMkf4d8C/BRJahrqJQV/rNLLuxlnyXiP
        B+B+d45OnZBhAgMBAAGjUzBRMB0GA1UdDgQWBBTyThS/FbnJFKnIsPV+kt3hOWhT
        EDAfBgNVHSMEGDAWgBTyThS/FbnJFKnIsPV+kt3hOWhTEDAPBgNVHRMBAf8EBTAD
        AQH/MA0GCSqGSIb3DQEBCwUAA4IBAQBU+P6kvxggjyLCeCt2KeeiPYKf0JeBtxyb
        nJrX9Qfpxwo9akhfujo1QkeEjYlSyfhkMLRQRaQYzVimCb/pJysOLoZbZ+QS+2zN
        CpEmM+NO7TTh+iu3yBPEZ5Y7MHDdD/1nBJoWvBALb2w3ygJ3vR/BzovDMOfGVqf3
        Y/r4/frSQ0ztX3w2sShtcNwycX45lI1HlnG13uDqzcmWuv1SLE3iLQvZevGeTIlI
        Jv82qyGaV7FDni74gC1atMhgZfEZQvJY8zEF39YKkW2WVS1udzaxlSH5nDIDBUMm
        DpFLWqBVQ/E90fYGOmAPURc23PvRTw0Um83YTprmadGpcEQOjmWV
        -----END CERTIFICATE-----
        """

    static let publicKeyPEM = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuczn8AeRQC7+q/pRGZpi
        Fgjl50KfiPvNpjBGTmEx+BB7Bp+kdJG+TN41JhF6VdsYv2zzshkUYcLwQeGTU5gY
        ttYCVM/3OU5zRlxoOf+b9xekm9h+cqi1QeOBnhL0qkznbYy+id6GpEIXm1hRikXO
        75TaDj+8kUAFOmhcHeEvSt5fq2s9pIb4c6BozBPNbhAbRirnWWifDpKyAERDWWQ5
        dZbQwgJzexWThXH5kz3CtXqfIN5o1DvTnwDyE4pTwXv0brA2vDWleV7VVmk6jvMY
        +De9IJtttFcrRb8as2ZfuhjJH+HfAvwUSWoa6iUFf6zSy7sZZ8l4jwfgfneOTp2Q
        YQIDAQAB
        -----END PUBLIC KEY-----
        """

    static let signed =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJsZWFkc3luYy1zYW5kYm94LWNsaWVudCIsInN1YiI6ImludGVncmF0aW9uQGxlYWRzeW5"
        + "jLmV4YW1wbGUiLCJhdWQiOiJodHRwczovL2xvZ2luLnNhbGVzZm9yY2UuY29tIiwiZXhwIjo0MTAyNDQ0ODAwfQ.RGvdoPlMnuGm"
        + "PG86o08lZ_194ucRfMXXKKUIJ7guSJukOIXOd4XPx_ntFRKWonY_nvJgqPyeFagTDNtJ2t2wC4eLeuLFtRtTqMKZTNBh-FAD1nBt"
        + "pXkVVE3cOWLKVtx6QKGR18JqPXCvtmWLkF4_667kW0JcLK_hLf_MR9mS_-DJbyol3PLizsHsjtvsK8ySehSOeIu6Dpzigrbd3m6m"
        + "HOqOU8RhWkSF0jIAUxNCBT2OJO68UTMnVQWdkUYMkpJAH9T1aaEsZ-bIM8mmagwZ-CE68zT0R6w7LOOa1rURzRMldT83sahic_WN"
        + "MCU--9tm49GMHW3L5pmRaGrkL_CUlQ"

    static let signedByAnotherKey =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJsZWFkc3luYy1zYW5kYm94LWNsaWVudCIsInN1YiI6ImludGVncmF0aW9uQGxlYWRzeW5"
        + "jLmV4YW1wbGUiLCJhdWQiOiJodHRwczovL2xvZ2luLnNhbGVzZm9yY2UuY29tIiwiZXhwIjo0MTAyNDQ0ODAwfQ.l63Yui7kefWJ"
        + "93uJhtnYeafeEzwBoIR-uQ8z5lVz6kVaXYaBZtFrMBsomWHB9l3a0L74sSbxTjXPChYu6zZCmmXOnksGJDrpc71RGy-CFLR0tbYS"
        + "i1xZhHeGtNSWGr-w7J_8OjkqSRFAm-J5hZR_FXGRLLdUR8VLOpq7dfBY_Sokd1ZperYv_fal2UZQKdTDIrwQpXoAOojdodhDWMzO"
        + "T3KUHgQtQW-vsX9hB_gWeM_L4NMlHCpE3AFxl3m6kxxp0F-eAOwtgVjCOT1QqjNdBD-vFZf4vB2EMH-4z1fOq_N0N7QFibZZujRj"
        + "wYGogMp-eo7qKjxrMsUxA9wBLedOUw"

    static let tampered =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJsZWFkc3luYy1zYW5kYm94LWNsaWVudCIsInN1YiI6ImludGVncmF0aW9uQGxlYWRzeW5"
        + "jLmV4YW1wbGUiLCJhdWQiOiJodHRwczovL3Rlc3Quc2FsZXNmb3JjZS5jb20iLCJleHAiOjQxMDI0NDQ4MDB9.RGvdoPlMnuGmPG"
        + "86o08lZ_194ucRfMXXKKUIJ7guSJukOIXOd4XPx_ntFRKWonY_nvJgqPyeFagTDNtJ2t2wC4eLeuLFtRtTqMKZTNBh-FAD1nBtpX"
        + "kVVE3cOWLKVtx6QKGR18JqPXCvtmWLkF4_667kW0JcLK_hLf_MR9mS_-DJbyol3PLizsHsjtvsK8ySehSOeIu6Dpzigrbd3m6mHO"
        + "qOU8RhWkSF0jIAUxNCBT2OJO68UTMnVQWdkUYMkpJAH9T1aaEsZ-bIM8mmagwZ-CE68zT0R6w7LOOa1rURzRMldT83sahic_WNMC"
        + "U--9tm49GMHW3L5pmRaGrkL_CUlQ"

    /// The same claims with iss leadsync-sandbox-client-key, signed with the certificate's key.
    static let signedForKeyOrg =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJsZWFkc3luYy1zYW5kYm94LWNsaWVudC1rZXkiLCJzdWIiOiJpbnRlZ3JhdGlvbkBsZWF"
        + "kc3luYy5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9sb2dpbi5zYWxlc2ZvcmNlLmNvbSIsImV4cCI6NDEwMjQ0NDgwMH0.C-Y1mOH"
        + "Ln-oXy219VnKqxw2wxokqeMnlQm63df9TuiJV-bOIg27X_4XtcbF5A28WgnDMuW7NmmPytWj3mOg6fkzlV8pnVqzJm5SrTwtCsGB"
        + "SxHL5ek97LMBY6nNd4NQEM8i_8lCLdE3vFg9_cSdP9qCGNOdBEjHtQ_WuyEDuI5bRWkPszbWGmdjqQCaAxm0WZH8TY4kWjfjP0xB"
        + "Yk5iysuVSq8l2EQvCAyVhLl2yeINi2jP27j-MGgtro_IN0dB4cLHXCPEV53MMCaSGOkE1gRDpagOZQtKJp-t-lj-muYZTUXblAT5"
        + "H-wP2LKfFA8xkXjppQzAwlhTxqTtM7KNMdA"
}
