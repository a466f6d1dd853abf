using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Framing;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Server;

/// <summary>What the transport does after a request: send a frame (maybe after a delay), or drop the connection.</summary>
public readonly record struct ServerReply(WrapperFrame? Frame, bool Close, TimeSpan Delay)
{
    /// <summary>Nothing to send; keep the connection.</summary>
    public static ServerReply None => default;

    /// <summary>Drop the connection without answering.</summary>
    public static ServerReply Drop => new(null, true, TimeSpan.Zero);
}

/// <summary>
/// The protocol engine of one TCP connection to a premises (or a single device): it routes each wrapper frame to
/// the logical device its destination wPort names and keeps one association per (client wPort, server wPort).
/// No sockets here; the host feeds it frames. One catch ladder maps every failure to its protocol reaction:
/// a security failure aborts the association (exception-response, never an oracle); a bad APDU gets a DLMS error
/// response; an injected fault drops the connection.
/// </summary>
public sealed partial class DlmsServerSession : IDisposable
{
    private readonly IReadOnlyDictionary<ushort, LogicalDevice> _devices;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<(ushort Client, ushort Server), ServerAssociation> _associations = [];

    /// <summary>Creates a session over the devices reachable on this endpoint, keyed by wPort.</summary>
    public DlmsServerSession(IReadOnlyDictionary<ushort, LogicalDevice> devices, TimeProvider time, ILogger logger)
    {
        _devices = devices ?? throw new ArgumentNullException(nameof(devices));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Number of associations currently open on this connection.</summary>
    public int AssociationCount => _associations.Count;

    /// <summary>Handles one request frame.</summary>
    public ServerReply Handle(WrapperFrame request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Apdu.IsEmpty)
        {
            return ServerReply.None; // the frame reader never yields one; nothing to answer if it did
        }

        if (!_devices.TryGetValue(request.DestinationWPort, out LogicalDevice? device))
        {
            // No logical device at that address: real devices stay silent.
            LogUnknownWPort(_logger, request.DestinationWPort);
            return ServerReply.None;
        }

        byte[] response;
        lock (device.Gate)
        {
            var key = (request.SourceWPort, request.DestinationWPort);
            try
            {
                response = HandleApdu(device, key, request.Apdu.Span);
            }
            catch (ConnectionDropRequestedException drop)
            {
                LogFaultDrop(_logger, device.Identity.Id, drop.Point);
                RemoveAssociation(key);
                return ServerReply.Drop;
            }

            if (_associations.TryGetValue(key, out ServerAssociation? association) && association.ActivateKeysAfterResponse)
            {
                // Immediate activation: the response above is still protected with the old keys (docs/dlms-wire.md 3).
                association.ActivateKeysAfterResponse = false;
                device.ActivatePendingKeys();
            }

            if (device.Faults.ShouldDrop(FaultPoint.BeforeResponse))
            {
                LogFaultDrop(_logger, device.Identity.Id, FaultPoint.BeforeResponse);
                RemoveAssociation(key);
                return ServerReply.Drop;
            }
        }

        return new ServerReply(request.Reply(response), false, device.Faults.ResponseDelay);
    }

    private byte[] HandleApdu(LogicalDevice device, (ushort Client, ushort Server) key, ReadOnlySpan<byte> apdu)
    {
        switch (apdu[0])
        {
            case AarqApdu.Tag:
            {
                RemoveAssociation(key);
                (byte[] aare, ServerAssociation? association) = ServerAssociation.Establish(device, key.Client, apdu, _time);
                if (association is not null)
                {
                    _associations[key] = association;
                    LogAssociated(_logger, device.Identity.Id, key.Client, association.Status);
                }
                else
                {
                    LogAssociationRejected(_logger, device.Identity.Id, key.Client);
                }

                return aare;
            }

            case RlrqApdu.Tag:
            {
                RlrqApdu rlrq;
                try
                {
                    rlrq = RlrqApdu.Decode(apdu);
                }
                catch (DlmsProtocolException)
                {
                    rlrq = new RlrqApdu();
                }

                byte[] rlre = _associations.TryGetValue(key, out ServerAssociation? association)
                    ? association.Release(rlrq)
                    : new RlreApdu { Reason = ReleaseResponseReason.Normal }.ToArray();
                RemoveAssociation(key);
                return rlre;
            }

            default:
            {
                if (!_associations.TryGetValue(key, out ServerAssociation? association))
                {
                    return ServerAssociation.Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible);
                }

                try
                {
                    return association.Handle(apdu);
                }
                catch (DlmsSecurityException ex)
                {
                    LogSecurityFailure(_logger, device.Identity.Id, key.Client, ex.Failure);
                    device.RecordEvent(DeviceEvent.AuthenticationFailed);
                    association.Abort();
                    RemoveAssociation(key);
                    return ex.Failure == SecurityFailure.Replay
                        ? ServerAssociation.Exception(
                            ExceptionStateError.ServiceNotAllowed,
                            ExceptionServiceError.InvocationCounterError,
                            device.Security.HighestAccepted(key.Client) + 1)
                        : ServerAssociation.Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.DecipheringError);
                }
                catch (DlmsProtocolException ex)
                {
                    LogBadApdu(_logger, device.Identity.Id, key.Client, ex.Reason, ex.Offset);
                    return ServerAssociation.Exception(ExceptionStateError.ServiceUnknown, ExceptionServiceError.OtherReason);
                }
            }
        }
    }

    private void RemoveAssociation((ushort Client, ushort Server) key)
    {
        if (_associations.Remove(key, out ServerAssociation? association))
        {
            association.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (ServerAssociation association in _associations.Values)
        {
            association.Dispose();
        }

        _associations.Clear();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "No logical device at wPort {WPort}; frame ignored")]
    private static partial void LogUnknownWPort(ILogger logger, ushort wPort);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{DeviceId}: client {ClientSap} associated ({Status})")]
    private static partial void LogAssociated(ILogger logger, string deviceId, ushort clientSap, AssociationStatus status);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{DeviceId}: association of client {ClientSap} rejected")]
    private static partial void LogAssociationRejected(ILogger logger, string deviceId, ushort clientSap);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{DeviceId}: security failure from client {ClientSap}: {Failure}; association aborted")]
    private static partial void LogSecurityFailure(ILogger logger, string deviceId, ushort clientSap, SecurityFailure failure);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{DeviceId}: bad APDU from client {ClientSap}: {Reason} at offset {Offset}")]
    private static partial void LogBadApdu(ILogger logger, string deviceId, ushort clientSap, string reason, int offset);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "{DeviceId}: injected fault, dropping the connection at {Point}")]
    private static partial void LogFaultDrop(ILogger logger, string deviceId, FaultPoint point);
}
