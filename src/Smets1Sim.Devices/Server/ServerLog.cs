using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Server;

/// <summary>Why HLS pass 3 (reply_to_HLS_authentication) was refused; logged, never sent to the client.</summary>
internal enum HlsRefusal
{
    /// <summary>The association is not waiting for pass 3.</summary>
    NotPending,
    /// <summary>Pass 3 did not arrive in a ciphered APDU.</summary>
    CarrierNotCiphered,
    /// <summary>The parameter is not a 17-byte octet-string `10 | IC | tag`.</summary>
    MalformedResponse,
    /// <summary>f(StoC) did not verify under the keys in force (wrong EK/AK, or altered).</summary>
    TagMismatch,
    /// <summary>f(StoC) used an IC already accepted from this client under these keys.</summary>
    InvocationCounterReused,
}

/// <summary>
/// The server's log messages, with stable event ids (100-199) that operators may filter on. Never a key, a
/// challenge or a decrypted payload in a message.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "No logical device at wPort {WPort}; frame ignored")]
    public static partial void UnknownWPort(ILogger logger, ushort wPort);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{DeviceId}: client {ClientSap} associated ({Status})")]
    public static partial void Associated(ILogger logger, string deviceId, ushort clientSap, AssociationStatus status);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{DeviceId}: association of client {ClientSap} rejected ({Diagnostic}): {Reason}")]
    public static partial void AssociationRejected(ILogger logger, string deviceId, ushort clientSap, AcseServiceUserDiagnostic diagnostic, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{DeviceId}: security failure from client {ClientSap}: {Failure}; association aborted")]
    public static partial void SecurityFailure(ILogger logger, string deviceId, ushort clientSap, SecurityFailure failure);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{DeviceId}: bad APDU from client {ClientSap}: {Reason} at offset {Offset}")]
    public static partial void BadApdu(ILogger logger, string deviceId, ushort clientSap, string reason, int offset);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{DeviceId}: injected fault, dropping the connection at {Point}")]
    public static partial void FaultDrop(ILogger logger, string deviceId, FaultPoint point);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "{DeviceId}: HLS pass 3 from client {ClientSap} refused: {Reason}")]
    public static partial void HlsPass3Refused(ILogger logger, string deviceId, ushort clientSap, HlsRefusal reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "{DeviceId}: request from client {ClientSap} refused with {ServiceError}: {Reason}")]
    public static partial void ServiceError(ILogger logger, string deviceId, ushort clientSap, ExceptionServiceError serviceError, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "{DeviceId}: keys accepted by key_transfer put in force: client {ClientSap} proved it holds them")]
    public static partial void PendingKeysActivated(ILogger logger, string deviceId, ushort clientSap);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "{DeviceId}: key_transfer from client {ClientSap} refused a weak or duplicated key")]
    public static partial void WeakKeyRefused(ILogger logger, string deviceId, ushort clientSap);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "{DeviceId}: AARQ of client {ClientSap} failed security: {Failure}; association rejected")]
    public static partial void AssociationSecurityFailure(ILogger logger, string deviceId, ushort clientSap, SecurityFailure failure);
}
