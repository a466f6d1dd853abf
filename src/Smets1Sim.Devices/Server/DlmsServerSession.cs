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
/// No sockets here; the host feeds it frames. <see cref="Handle"/> holds the one catch ladder that maps every
/// failure to its protocol reaction (the ladder is listed in ServerErrors.cs): a security failure aborts the
/// association (exception-response, never an oracle); a bad or refused request gets a DLMS error response; a
/// refused AARQ a rejecting AARE; an injected fault drops the connection.
/// </summary>
public sealed class DlmsServerSession : IDisposable
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
            ServerLog.UnknownWPort(_logger, request.DestinationWPort);
            return ServerReply.None;
        }

        (ushort Client, ushort Server) key = (request.SourceWPort, request.DestinationWPort);
        bool establishing = request.Apdu.Span[0] == AarqApdu.Tag;
        byte[] response;
        lock (device.Gate)
        {
            try
            {
                response = HandleApdu(device, key, request.Apdu.Span);
            }
            catch (ConnectionDropRequestedException drop)
            {
                ServerLog.FaultDrop(_logger, device.Identity.Id, drop.Point);
                RemoveAssociation(key);
                return ServerReply.Drop;
            }
            catch (AssociationRejectedException ex)
            {
                ServerLog.AssociationRejected(_logger, device.Identity.Id, key.Client, ex.Diagnostic, ex.Message);
                response = ex.ToAare();
            }
            catch (DlmsSecurityException ex) when (establishing)
            {
                ServerLog.AssociationSecurityFailure(_logger, device.Identity.Id, key.Client, ex.Failure);
                device.RecordEvent(DeviceEvent.AuthenticationFailed);
                response = AssociationRejectedException.RejectionAare(ContextFor(device, key.Client), AcseServiceUserDiagnostic.AuthenticationFailure);
            }
            catch (DlmsProtocolException ex) when (establishing)
            {
                ServerLog.AssociationRejected(_logger, device.Identity.Id, key.Client, AcseServiceUserDiagnostic.NoReasonGiven, ex.Reason);
                response = AssociationRejectedException.RejectionAare(ContextFor(device, key.Client), AcseServiceUserDiagnostic.NoReasonGiven);
            }
            catch (DlmsServiceErrorException ex)
            {
                ServerLog.ServiceError(_logger, device.Identity.Id, key.Client, ex.ServiceError, ex.Message);
                response = ServerReplies.ExceptionResponseBytes(ex.StateError, ex.ServiceError);
            }
            catch (DlmsSecurityException ex)
            {
                ServerLog.SecurityFailure(_logger, device.Identity.Id, key.Client, ex.Failure);
                device.RecordEvent(DeviceEvent.AuthenticationFailed);
                RemoveAssociation(key);
                response = ex.Failure == SecurityFailure.Replay
                    ? ServerReplies.ExceptionResponseBytes(
                        ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.InvocationCounterError, device.Security.HighestAccepted(key.Client) + 1)
                    : ServerReplies.ExceptionResponseBytes(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.DecipheringError);
            }
            catch (DlmsProtocolException ex)
            {
                ServerLog.BadApdu(_logger, device.Identity.Id, key.Client, ex.Reason, ex.Offset);
                response = ServerReplies.ExceptionResponseBytes(ExceptionStateError.ServiceUnknown, ExceptionServiceError.OtherReason);
            }

            if (_associations.TryGetValue(key, out ServerAssociation? association) && association.ActivateKeysAfterResponse)
            {
                // Immediate activation: the response above is still protected with the old keys (docs/dlms-wire.md 3).
                association.ActivateKeysAfterResponse = false;
                device.ActivatePendingKeys();
            }

            if (device.Faults.ShouldDrop(FaultPoint.BeforeResponse))
            {
                ServerLog.FaultDrop(_logger, device.Identity.Id, FaultPoint.BeforeResponse);
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
                (byte[] aare, ServerAssociation association) = AssociationEstablishment.Establish(device, key.Client, apdu, _time, _logger);
                _associations[key] = association;
                ServerLog.Associated(_logger, device.Identity.Id, key.Client, association.Status);
                return aare;
            }

            case RlrqApdu.Tag:
            {
                RlrqApdu rlrq = DecodeOrDefault(apdu);
                byte[] rlre = _associations.TryGetValue(key, out ServerAssociation? association)
                    ? association.Release(rlrq)
                    : new RlreApdu { Reason = ReleaseResponseReason.Normal }.ToArray();
                RemoveAssociation(key);
                return rlre;
            }

            default:
                return _associations.TryGetValue(key, out ServerAssociation? current)
                    ? current.Handle(apdu)
                    : throw DlmsServiceErrorException.NotAssociated("no association for this client");
        }
    }

    /// <summary>A release is granted even when the RLRQ cannot be read (Green Book 9.4): it then counts as a bare one.</summary>
    private static RlrqApdu DecodeOrDefault(ReadOnlySpan<byte> apdu)
    {
        try
        {
            return RlrqApdu.Decode(apdu);
        }
        catch (DlmsProtocolException)
        {
            return new RlrqApdu();
        }
    }

    private static ApplicationContextName ContextFor(LogicalDevice device, ushort clientSap)
        => device.Associations.TryGetValue(clientSap, out AssociationSettings? settings)
            ? AssociationEstablishment.ContextOf(settings)
            : ApplicationContextName.LogicalName;

    private void RemoveAssociation((ushort Client, ushort Server) key)
    {
        if (_associations.Remove(key, out ServerAssociation? association))
        {
            association.Abort();
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
}
