namespace Smets1Sim.Dlms;

/// <summary>What kind of failure a <see cref="DlmsException"/> reports: what a caller needs to choose retry or give up.</summary>
public enum DlmsFailureKind
{
    /// <summary>The peer sent bytes that are not valid DLMS/COSEM (<see cref="DlmsProtocolException"/>).</summary>
    Protocol = 1,

    /// <summary>A security check failed: tag, replay, key unwrap, HLS (<see cref="DlmsSecurityException"/>).</summary>
    Security = 2,

    /// <summary>The server refused the application association (AARE rejection).</summary>
    AssociationRefused = 3,

    /// <summary>The server refused a service with an exception-response or confirmedServiceError.</summary>
    ServiceRefused = 4,

    /// <summary>A read returned a data-access-result instead of a value.</summary>
    DataAccess = 5,

    /// <summary>The TCP connection could not be made, was reset, or the peer closed it.</summary>
    Connection = 6,

    /// <summary>No reply (or no connection) within the configured time.</summary>
    Timeout = 7,
}

/// <summary>
/// The one base of every failure a DLMS caller meets, wire, security or communication, so that a caller (a head-end
/// campaign) decides retry or give up from <see cref="Kind"/> and <see cref="IsTransient"/> without catching
/// <see cref="Exception"/>. Communication failures (socket, I/O, end of stream, timeouts) reach callers wrapped
/// in a DlmsConnectionException of the client, with the original as the inner exception.
/// </summary>
public abstract class DlmsException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected DlmsException(DlmsFailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure this is.</summary>
    public DlmsFailureKind Kind { get; }

    /// <summary>
    /// True when the same request may succeed if simply tried again later (a dropped connection, a timeout, a
    /// temporary refusal); false when retrying unchanged cannot help (bad bytes, wrong keys, a permanent refusal).
    /// </summary>
    public abstract bool IsTransient { get; }
}
