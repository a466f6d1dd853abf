using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Framing;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>
/// A DLMS/COSEM client for one association with one logical device over TCP and the IEC 62056-47 wrapper: logical
/// name referencing, no security, LLS or HLS-GMAC with security suite 0 (DLMS UA Green Book).
/// <code>
///   ConnectAsync    TCP connect (first, if no IC is known, read the server's IC over the public client)
///   AssociateAsync  AARQ / AARE; with HLS-GMAC pass 3 (f(StoC)) and pass 4 (f(CtoS) verified)
///   GetAsync / GetWithListAsync / SetAsync / InvokeAsync / KeyTransferAsync   block transfer is transparent
///   ReleaseAsync    RLRQ / RLRE, then the TCP connection is closed
/// </code>
/// Calls are serialised (one request in flight at a time). Every ciphered request takes a fresh invocation counter;
/// every ciphered reply is opened with the server's system title and its counter checked for replay. A connection
/// that loses protocol sync (a bad frame or APDU, a security failure, a timeout or cancellation while a reply is
/// awaited, the peer closing) is marked <see cref="DlmsClientState.Broken"/> and refuses every further call.
/// </summary>
public sealed partial class DlmsClient : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IncomingInvocationCounter _incoming;
    private readonly Suite0Cipher? _cipher;
    private OutgoingInvocationCounter? _outgoing;
    private WrapperConnection? _connection;
    private volatile DlmsClientState _state;
    private Exception? _brokenBy;
    private byte _invokeId;

    // Set once the current operation has put bytes on the wire: from then on an interruption leaves the peer in an
    // unknown state, so the connection is broken.
    private bool _wireTouched;

    /// <summary>Creates a client; nothing is sent until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">Endpoint, addressing and security; validated here.</param>
    /// <param name="logger">Where to log; nothing is logged when null.</param>
    /// <param name="timeProvider">The clock of the response timeout; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The options are inconsistent (see <see cref="DlmsClientOptions.Validate"/>).</exception>
    public DlmsClient(DlmsClientOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _invokeId = options.InvokeId;
        _incoming = new IncomingInvocationCounter(options.HighestServerInvocationCounter);
        if (options.IsCiphered)
        {
            _cipher = new Suite0Cipher(options.EncryptionKey!, options.AuthenticationKey!);
            _outgoing = options.InitialInvocationCounter is { } first ? new OutgoingInvocationCounter(first) : null;
        }
    }

    /// <summary>The options the client was created with.</summary>
    public DlmsClientOptions Options { get; }

    /// <summary>Where the client is in its life.</summary>
    public DlmsClientState State => _state;

    /// <summary>True once the connection lost protocol sync; the client must then be disposed.</summary>
    public bool IsBroken => _state == DlmsClientState.Broken;

    /// <summary>What broke the connection, when <see cref="IsBroken"/>.</summary>
    public Exception? BrokenReason => _brokenBy;

    /// <summary>The server system title learnt from the AARE's responding-AP-title; null before a ciphered association.</summary>
    public SystemTitle? ServerSystemTitle { get; private set; }

    /// <summary>The conformance block the server granted in its InitiateResponse.</summary>
    public Conformance NegotiatedConformance { get; private set; }

    /// <summary>server-max-receive-pdu-size from the InitiateResponse: requests longer than this go in blocks.</summary>
    public ushort ServerMaxReceivePduSize { get; private set; }

    /// <summary>
    /// The invocation counter the next ciphered request will use; persist it (or anything above) so the next
    /// association never reuses a value under the same key. Null when unciphered, or before it is known.
    /// </summary>
    public uint? NextInvocationCounter => _outgoing?.NextValue;

    /// <summary>The highest invocation counter accepted from the server so far under the current key.</summary>
    public uint? HighestServerInvocationCounter => _incoming.HighestAccepted;

    /// <summary>
    /// Opens the TCP connection. On a ciphered client created without <see cref="DlmsClientOptions.InitialInvocationCounter"/>,
    /// first reads the server's invocation counter over the public client (on a connection of its own, closed again).
    /// </summary>
    /// <exception cref="InvalidOperationException">The client is not disconnected, or is broken.</exception>
    /// <exception cref="DlmsConnectionException">The connection was refused (<see cref="DlmsFailureKind.Connection"/>, the
    /// <see cref="SocketException"/> inside) or not made within the response timeout (<see cref="DlmsFailureKind.Timeout"/>).</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureState(DlmsClientState.Disconnected, "connect");
            if (_cipher is not null && _outgoing is null)
            {
                uint next = await ReadNextInvocationCounterAsync(Options, _logger, _timeProvider, cancellationToken).ConfigureAwait(false);
                _outgoing = new OutgoingInvocationCounter(next);
            }

            ClientLog.Connecting(_logger, Options.Host, Options.Port, Options.ClientSap, Options.ServerWPort);
            using var deadline = new ResponseDeadline(Options.ResponseTimeout, _timeProvider, cancellationToken);
            try
            {
                _connection = await WrapperConnection.ConnectAsync(Options.Host, Options.Port, Options.MaxReceivedApduSize, deadline.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.TimedOut)
            {
                throw new DlmsConnectionException(
                    DlmsFailureKind.Timeout, $"no TCP connection to {Options.Host}:{Options.Port} within {Options.ResponseTimeout}");
            }
            catch (SocketException ex)
            {
                throw DlmsConnectionException.Wrap(ex, $"connecting to {Options.Host}:{Options.Port}");
            }

            _state = DlmsClientState.Connected;
            ClientLog.Connected(_logger, Options.Host, Options.Port, Options.ClientSap, Options.ServerWPort);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads the server's invocation counter object (<see cref="DlmsClientOptions.InvocationCounterObject"/>, attribute 2,
    /// double-long-unsigned) over the public client (SAP 16, no security) and returns value + 1: the first counter a
    /// client may use under the current key, as mainstream clients do. Connects, associates, reads, releases.
    /// </summary>
    /// <param name="options">The endpoint and server wPort to use; the client SAP and security are replaced.</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="timeProvider">The clock of the response timeout.</param>
    /// <param name="cancellationToken">Cancels the whole exchange.</param>
    /// <exception cref="DlmsDataAccessException">The server refused the read.</exception>
    /// <exception cref="DlmsProtocolException">The value is not a double-long-unsigned.</exception>
    /// <exception cref="DlmsSecurityException">The counter is exhausted (0xFFFFFFFF): the key must be replaced.</exception>
    public static async Task<uint> ReadNextInvocationCounterAsync(
        DlmsClientOptions options,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var publicOptions = new DlmsClientOptions
        {
            Host = options.Host,
            Port = options.Port,
            ClientSap = DlmsClientOptions.PublicClientSap,
            ServerWPort = options.ServerWPort,
            ClientMaxReceivePduSize = options.ClientMaxReceivePduSize,
            MaxReceivedApduSize = options.MaxReceivedApduSize,
            MaxAssembledResponseSize = options.MaxAssembledResponseSize,
            ResponseTimeout = options.ResponseTimeout,
            InvokeId = options.InvokeId,
            HighPriority = options.HighPriority,
            DecodeLimits = options.DecodeLimits,
        };

        var client = new DlmsClient(publicOptions, logger, timeProvider);
        await using (client.ConfigureAwait(false))
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await client.AssociateAsync(cancellationToken).ConfigureAwait(false);
            var attribute = new CosemAttributeDescriptor(CosemClassIds.Data, options.InvocationCounterObject, 2);
            DlmsValue value = await client.GetValueAsync(attribute, cancellationToken).ConfigureAwait(false);
            await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);

            if (value is not DlmsDoubleLongUnsigned counter)
            {
                throw new DlmsProtocolException(
                    $"the invocation counter {options.InvocationCounterObject} is a {value.Type}, expected double-long-unsigned", 0);
            }

            if (counter.Value == uint.MaxValue)
            {
                throw new DlmsSecurityException(
                    SecurityFailure.InvocationCounterExhausted, "the server has accepted IC 0xFFFFFFFF: the key must be replaced");
            }

            ClientLog.InvocationCounterRead(client._logger, counter.Value, counter.Value + 1);
            return counter.Value + 1;
        }
    }

    /// <summary>
    /// Closes the connection without a release (call <see cref="ReleaseAsync"/> first for a graceful end) and zeroes the
    /// client's copy of the keys. A call still in flight fails.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_state == DlmsClientState.Disposed)
        {
            return;
        }

        _state = DlmsClientState.Disposed;
        WrapperConnection? connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _cipher?.Dispose();
    }

    /// <summary>Describes the client without key material.</summary>
    public override string ToString() =>
        $"DlmsClient {{ {Options.Host}:{Options.Port}, SAP {Options.ClientSap} -> {Options.ServerWPort}, {_state} }}";

    /// <summary>Waits for the one-call-at-a-time gate; nothing has touched the wire yet, so cancelling here breaks nothing.</summary>
    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_state == DlmsClientState.Disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        _wireTouched = false;
    }

    /// <summary>
    /// Runs one service call under the gate in the Associated state; an exception after the first byte went out marks
    /// the connection broken, except a well-formed refusal from the server.
    /// </summary>
    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureState(DlmsClientState.Associated, operation);
            try
            {
                return await body(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (BreaksConnection(ex))
            {
                await MarkBrokenAsync(ex).ConfigureAwait(false);
                if (DlmsConnectionException.IsCommunicationFailure(ex))
                {
                    throw DlmsConnectionException.Wrap(ex, $"{operation} on {Options.Host}:{Options.Port}");
                }

                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool BreaksConnection(Exception ex) =>
        ex is not (DlmsServiceException or DlmsAssociationException)
        && (_wireTouched || ex is DlmsProtocolException or DlmsSecurityException or IOException or SocketException);

    private void EnsureState(DlmsClientState required, string operation)
    {
        DlmsClientState state = _state;
        if (state == required)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(state == DlmsClientState.Disposed, this);
        if (state == DlmsClientState.Broken)
        {
            throw new InvalidOperationException(
                $"cannot {operation}: the connection lost protocol sync ({_brokenBy?.GetType().Name}: {_brokenBy?.Message}) and is never reused; dispose this client",
                _brokenBy);
        }

        throw new InvalidOperationException($"cannot {operation} while {state}; the client must be {required}");
    }

    private async Task MarkBrokenAsync(Exception reason)
    {
        if (_state is DlmsClientState.Broken or DlmsClientState.Disposed)
        {
            return;
        }

        _brokenBy = reason;
        _state = DlmsClientState.Broken;
        ClientLog.ConnectionBroken(_logger, Options.Host, Options.Port, reason.GetType().Name, reason.Message);
        WrapperConnection? connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private InvokeIdAndPriority NextInvoke()
    {
        byte id = _invokeId;
        if (Options.IncrementInvokeId)
        {
            _invokeId = (byte)((id + 1) & 0x0F);
        }

        return new InvokeIdAndPriority(id, serviceClassConfirmed: true, Options.HighPriority);
    }

    /// <summary>Sends one APDU in a wrapper frame from the client SAP to the server wPort.</summary>
    private async Task SendApduAsync(byte[] apdu, CancellationToken cancellationToken)
    {
        WrapperConnection connection = _connection ?? throw new InvalidOperationException("not connected");
        if (apdu.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"a {apdu.Length}-byte APDU does not fit one wrapper frame");
        }

        _wireTouched = true;
        await connection.SendAsync(new WrapperFrame(Options.ClientSap, Options.ServerWPort, apdu), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Receives the next frame and checks it comes from the server wPort to the client SAP (IEC 62056-47: ports swapped).</summary>
    private async Task<byte[]> ReceiveApduAsync(CancellationToken cancellationToken)
    {
        WrapperConnection connection = _connection ?? throw new InvalidOperationException("not connected");
        WrapperFrame frame = await connection.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (frame.SourceWPort != Options.ServerWPort || frame.DestinationWPort != Options.ClientSap)
        {
            // Offset 2: the source wPort field of the wrapper header.
            throw new DlmsProtocolException(
                $"reply from wPort {frame.SourceWPort} to {frame.DestinationWPort}, expected {Options.ServerWPort} to {Options.ClientSap}", 2);
        }

        return frame.Apdu.ToArray();
    }

    /// <summary>One ACSE exchange (AARQ/AARE, RLRQ/RLRE): the reply's raw bytes.</summary>
    private async Task<byte[]> ExchangeAcseAsync(byte[] apdu, string what, CancellationToken cancellationToken)
    {
        using var deadline = new ResponseDeadline(Options.ResponseTimeout, _timeProvider, cancellationToken);
        try
        {
            await SendApduAsync(apdu, deadline.Token).ConfigureAwait(false);
            return await ReceiveApduAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.TimedOut)
        {
            throw new TimeoutException($"no reply to the {what} within {Options.ResponseTimeout}");
        }
    }

    /// <summary>
    /// Sends one xDLMS request, protected when the association is ciphered (with <paramref name="invocationCounter"/>
    /// when the caller already drew it, else the next one), and returns the decoded reply. Unsolicited notifications are
    /// skipped; an exception-response or confirmedServiceError is thrown as <see cref="DlmsServiceException"/>.
    /// </summary>
    private async Task<XdlmsApdu> RequestAsync(XdlmsApdu request, CancellationToken cancellationToken, uint? invocationCounter = null)
    {
        byte[] plain = request.ToArray();
        uint? ic = null;
        byte[] wire = plain;
        if (_cipher is not null)
        {
            ic = invocationCounter ?? NextOutgoingCounter();
            wire = Protect(plain, ic.Value);
        }

        using var deadline = new ResponseDeadline(Options.ResponseTimeout, _timeProvider, cancellationToken);
        try
        {
            await SendApduAsync(wire, deadline.Token).ConfigureAwait(false);
            ClientLog.RequestSent(_logger, plain[0], wire[0], wire.Length, ic);
            while (true)
            {
                byte[] replyBytes = await ReceiveApduAsync(deadline.Token).ConfigureAwait(false);
                XdlmsApdu reply = DecodeReply(replyBytes);
                switch (reply)
                {
                    case DataNotification or EventNotificationRequest:
                        ClientLog.UnsolicitedSkipped(_logger, replyBytes[0]);
                        continue;
                    case ExceptionResponse exception:
                    {
                        var refusal = new DlmsServiceException(exception);
                        ClientLog.ServiceRefused(_logger, refusal.Message);
                        throw refusal;
                    }

                    case ConfirmedServiceError error:
                    {
                        var refusal = new DlmsServiceException(error);
                        ClientLog.ServiceRefused(_logger, refusal.Message);
                        throw refusal;
                    }

                    default:
                        return reply;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.TimedOut)
        {
            throw new TimeoutException($"no reply to the 0x{plain[0]:X2} request within {Options.ResponseTimeout}");
        }
    }

    private uint NextOutgoingCounter() =>
        (_outgoing ?? throw new InvalidOperationException("the outgoing invocation counter is not known yet")).Next();

    /// <summary>Wraps a plain APDU in the configured envelope (glo-* or general-glo-ciphering) with the client's title.</summary>
    private byte[] Protect(ReadOnlySpan<byte> plain, uint invocationCounter)
    {
        CipheredApduKind kind = Options.CipheringForm == CipheringForm.GeneralGlobal
            ? CipheredApduKind.GeneralGlobal
            : CipheredApduKind.ServiceSpecificGlobal;
        return CipheredApdu.Seal(_cipher!, kind, Options.SecurityPolicy.RequestControl(), Options.ClientSystemTitle!.Value, invocationCounter, plain).ToArray();
    }

    /// <summary>
    /// Opens a ciphered reply from the server: the envelope (service-specific or general-glo) is decoded, the tag
    /// verified with the server system title, the protection checked against the policy, the IC checked for replay.
    /// The caller zeroes the returned plaintext.
    /// </summary>
    private byte[] Open(ReadOnlySpan<byte> apdu)
    {
        SystemTitle server = ServerSystemTitle
            ?? throw new DlmsProtocolException("a ciphered reply arrived before the server's system title is known", 0);
        CipheredApdu envelope = CipheredApdu.Decode(apdu);
        if (envelope.IsDedicated)
        {
            throw new DlmsSecurityException(
                SecurityFailure.UnsupportedProtection, $"reply 0x{envelope.Tag:X2} uses a dedicated key, none was agreed");
        }

        byte[] plain = envelope.Open(_cipher!, server, out SecurityControl sc, out uint ic);
        try
        {
            SecurityControl required = Options.SecurityPolicy.ResponseControl();
            if (!sc.Satisfies(required))
            {
                throw new DlmsSecurityException(
                    SecurityFailure.UnsupportedProtection, $"reply protected with {sc}, the policy asks for at least {required}");
            }

            _incoming.Accept(ic);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(plain);
            throw;
        }

        ClientLog.ReplyReceived(_logger, apdu[0], apdu.Length, ic);
        return plain;
    }

    /// <summary>Decodes a reply to an xDLMS request; a ciphered association accepts only errors in clear.</summary>
    private XdlmsApdu DecodeReply(byte[] apdu)
    {
        if (apdu.Length == 0)
        {
            throw new DlmsProtocolException("empty reply", 0);
        }

        byte tag = apdu[0];
        if (!CipheredApdu.IsCiphered(tag))
        {
            // A server that cannot decipher a request has no other way to say so than in clear.
            if (_cipher is not null && tag is not (ExceptionResponse.TagByte or ConfirmedServiceError.TagByte))
            {
                throw new DlmsSecurityException(
                    SecurityFailure.UnsupportedProtection, $"unprotected reply 0x{tag:X2} in a ciphered association");
            }

            ClientLog.ReplyReceived(_logger, tag, apdu.Length, null);
            return XdlmsApduCodec.Decode(apdu, Options.DecodeLimits);
        }

        if (_cipher is null)
        {
            throw new DlmsProtocolException($"ciphered reply 0x{tag:X2} in an unciphered association", 0);
        }

        byte[] plain = Open(apdu);
        try
        {
            return XdlmsApduCodec.Decode(plain, Options.DecodeLimits);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static void CheckInvoke(InvokeIdAndPriority sent, InvokeIdAndPriority received)
    {
        if (sent.InvokeId != received.InvokeId)
        {
            // Offset 2: the invoke-id-and-priority byte of a get/set/action response.
            throw new DlmsProtocolException($"reply carries invoke-id {received.InvokeId}, the request had {sent.InvokeId}", 2);
        }
    }

    private static DlmsProtocolException Unexpected(XdlmsApdu reply, string expected) =>
        new($"expected {expected}, got {reply.GetType().Name}", 0);

    /// <summary>
    /// The response timeout linked with the caller's token; <see cref="TimedOut"/> tells a timeout from the caller's
    /// own cancellation. The timer runs on the injected <see cref="TimeProvider"/>.
    /// </summary>
    private sealed class ResponseDeadline : IDisposable
    {
        private readonly CancellationTokenSource? _timeout;
        private readonly CancellationTokenSource _linked;
        private readonly CancellationToken _outer;

        public ResponseDeadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken outer)
        {
            _outer = outer;
            _timeout = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, timeProvider);
            _linked = _timeout is null
                ? CancellationTokenSource.CreateLinkedTokenSource(outer)
                : CancellationTokenSource.CreateLinkedTokenSource(outer, _timeout.Token);
        }

        public CancellationToken Token => _linked.Token;

        public bool TimedOut => _timeout?.IsCancellationRequested == true && !_outer.IsCancellationRequested;

        public void Dispose()
        {
            _linked.Dispose();
            _timeout?.Dispose();
        }
    }
}
