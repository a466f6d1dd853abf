namespace Smets1Sim.Dlms;

/// <summary>Why a protected APDU or a key operation was refused.</summary>
public enum SecurityFailure
{
    /// <summary>The GCM/GMAC tag did not verify: the APDU, its AAD, IV or key is not what the sender used.</summary>
    AuthenticationFailed = 1,

    /// <summary>The invocation counter was already accepted under this key (replay) or is not higher than the last one.</summary>
    Replay = 2,

    /// <summary>The sender would reuse its own (key, IV): its invocation counter is exhausted.</summary>
    InvocationCounterExhausted = 3,

    /// <summary>RFC 3394 unwrap integrity check failed: the wrapping key (KEK) is wrong or the data was altered.</summary>
    KeyUnwrapFailed = 4,

    /// <summary>The security control byte asks for a suite or a protection this implementation does not accept.</summary>
    UnsupportedProtection = 5,

    /// <summary>The HLS challenge response did not verify.</summary>
    HlsAuthenticationFailed = 6,

    /// <summary>The sender's system title is not the one expected for this association.</summary>
    SystemTitleMismatch = 7,
}

/// <summary>
/// A security check failed: a tag mismatch, a replayed invocation counter, a failed key unwrap. Distinct from
/// <see cref="DlmsProtocolException"/> because the session reacts differently (abort, never an error reply
/// that could act as an oracle).
/// </summary>
public sealed class DlmsSecurityException : DlmsException
{
    /// <summary>Creates the exception.</summary>
    public DlmsSecurityException(SecurityFailure failure, string message)
        : base(DlmsFailureKind.Security, message)
    {
        Failure = failure;
    }

    /// <summary>Which check failed.</summary>
    public SecurityFailure Failure { get; }

    /// <summary>
    /// Never: a wrong key or a replayed counter fails again the same way. A replay is cured by a new invocation counter,
    /// which is a change of request, not a retry.
    /// </summary>
    public override bool IsTransient => false;
}
