using Microsoft.Extensions.Logging;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>
/// The client's log lines, source-generated with stable event ids (1000-1099). They carry tags, lengths, invocation
/// counters, ports and system titles only: never a key, a challenge response or a decrypted payload.
/// </summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug,
        Message = "Connecting to {Host}:{Port} (client SAP {ClientSap} -> wPort {ServerWPort})")]
    public static partial void Connecting(ILogger logger, string host, int port, ushort clientSap, ushort serverWPort);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Connected to {Host}:{Port} (client SAP {ClientSap} -> wPort {ServerWPort})")]
    public static partial void Connected(ILogger logger, string host, int port, ushort clientSap, ushort serverWPort);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Read the server's invocation counter over the public client: {Value}; continuing from {Next}")]
    public static partial void InvocationCounterRead(ILogger logger, uint value, uint next);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug,
        Message = "AARQ sent: mechanism {Mechanism}, ciphered {Ciphered}, {Length} bytes, IC {InvocationCounter}")]
    public static partial void AarqSent(ILogger logger, AuthenticationMechanism mechanism, bool ciphered, int length, uint? invocationCounter);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug,
        Message = "AARE received: {Result}, diagnostic {UserDiagnostic}{ProviderDiagnostic}, {Length} bytes")]
    public static partial void AareReceived(
        ILogger logger, AssociationResult result, AcseServiceUserDiagnostic? userDiagnostic, AcseServiceProviderDiagnostic? providerDiagnostic, int length);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning,
        Message = "Association refused: {Reason}")]
    public static partial void AssociationRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug,
        Message = "HLS pass 3 sent with IC {InvocationCounter}")]
    public static partial void HlsPass3Sent(ILogger logger, uint invocationCounter);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Debug,
        Message = "HLS pass 4 verified (server IC {ServerInvocationCounter})")]
    public static partial void HlsPass4Verified(ILogger logger, uint serverInvocationCounter);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information,
        Message = "Associated with {ServerSystemTitle}: conformance 0x{Conformance:X6}, server max PDU {ServerMaxPdu}")]
    public static partial void Associated(ILogger logger, SystemTitle? serverSystemTitle, uint conformance, ushort serverMaxPdu);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Trace,
        Message = "Request sent: APDU 0x{PlainTag:X2} as 0x{WireTag:X2}, {Length} bytes, IC {InvocationCounter}")]
    public static partial void RequestSent(ILogger logger, byte plainTag, byte wireTag, int length, uint? invocationCounter);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Trace,
        Message = "Reply received: APDU 0x{WireTag:X2}, {Length} bytes, IC {InvocationCounter}")]
    public static partial void ReplyReceived(ILogger logger, byte wireTag, int length, uint? invocationCounter);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Trace,
        Message = "{Service} block {BlockNumber} received, {Length} bytes, last {LastBlock}")]
    public static partial void BlockReceived(ILogger logger, string service, uint blockNumber, int length, bool lastBlock);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Trace,
        Message = "{Service} block {BlockNumber} sent, {Length} bytes, last {LastBlock}")]
    public static partial void BlockSent(ILogger logger, string service, uint blockNumber, int length, bool lastBlock);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Debug,
        Message = "Unsolicited APDU 0x{Tag:X2} skipped while waiting for a reply")]
    public static partial void UnsolicitedSkipped(ILogger logger, byte tag);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Warning,
        Message = "The server refused a request: {Refusal}")]
    public static partial void ServiceRefused(ILogger logger, string refusal);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Error,
        Message = "Connection to {Host}:{Port} marked broken: {ExceptionType}: {Reason}")]
    public static partial void ConnectionBroken(ILogger logger, string host, int port, string exceptionType, string reason);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Debug,
        Message = "RLRQ sent, {Length} bytes, IC {InvocationCounter}")]
    public static partial void ReleaseSent(ILogger logger, int length, uint? invocationCounter);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Information,
        Message = "Association released ({Outcome})")]
    public static partial void Released(ILogger logger, string outcome);

    [LoggerMessage(EventId = 1050, Level = LogLevel.Information,
        Message = "key_transfer of {KeyCount} key(s) (ids {KeyIds}) to {SecuritySetup}")]
    public static partial void KeyTransferSent(ILogger logger, int keyCount, string keyIds, ObisCode securitySetup);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Information,
        Message = "key_transfer to {SecuritySetup} answered {Result}")]
    public static partial void KeyTransferAnswered(ILogger logger, ObisCode securitySetup, ActionResult result);
}
