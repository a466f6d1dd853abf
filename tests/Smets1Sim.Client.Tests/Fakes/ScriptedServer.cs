using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Smets1Sim.Dlms.Framing;

namespace Smets1Sim.Client.Tests.Fakes;

/// <summary>
/// A loopback TCP listener on port 0 that a test scripts frame by frame: accept a client, read what it sent (framed
/// here with a deliberately naive reader, independent of the client's), answer with bytes built from the core codecs.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;

    private ScriptedServer(TcpListener listener) => _listener = listener;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static ScriptedServer Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new ScriptedServer(listener);
    }

    public DlmsClientOptions Options(ushort clientSap = DlmsClientOptions.PublicClientSap, ushort serverWPort = 1) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        ClientSap = clientSap,
        ServerWPort = serverWPort,
    };

    public async Task<ServerPeer> AcceptAsync(CancellationToken cancellationToken)
    {
        Socket socket = await _listener.AcceptSocketAsync(cancellationToken);
        socket.NoDelay = true;
        return new ServerPeer(new NetworkStream(socket, ownsSocket: true));
    }

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The server end of one accepted connection.</summary>
internal sealed class ServerPeer(NetworkStream stream) : IAsyncDisposable
{
    /// <summary>The ports of the first frame received: what a well-behaved reply swaps.</summary>
    public ushort ClientSap { get; private set; }

    public ushort ServerWPort { get; private set; }

    public async Task<WrapperFrame> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        byte[] header = new byte[WrapperHeader.Size];
        await stream.ReadExactlyAsync(header, cancellationToken);
        Assert.AreEqual(1, BinaryPrimitives.ReadUInt16BigEndian(header), "wrapper version");
        ushort source = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        ushort destination = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
        ushort length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6));
        byte[] apdu = new byte[length];
        await stream.ReadExactlyAsync(apdu, cancellationToken);
        if (ClientSap == 0 && ServerWPort == 0)
        {
            ClientSap = source;
            ServerWPort = destination;
        }

        return new WrapperFrame(source, destination, apdu);
    }

    /// <summary>Receives a frame, asserts it goes from the client SAP to the server wPort, returns its APDU.</summary>
    public async Task<byte[]> ReceiveApduAsync(CancellationToken cancellationToken)
    {
        WrapperFrame frame = await ReceiveFrameAsync(cancellationToken);
        Assert.AreEqual(ClientSap, frame.SourceWPort, "request source wPort");
        Assert.AreEqual(ServerWPort, frame.DestinationWPort, "request destination wPort");
        return frame.Apdu.ToArray();
    }

    /// <summary>Answers with the ports swapped (or with the ones given, to script a wrong reply).</summary>
    public Task SendApduAsync(byte[] apdu, CancellationToken cancellationToken, ushort? source = null, ushort? destination = null) =>
        SendRawAsync(new WrapperFrame(source ?? ServerWPort, destination ?? ClientSap, apdu).ToArray(), cancellationToken);

    public async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>True when the client has closed its end (a read returns 0 bytes).</summary>
    public async Task<bool> ClientClosedAsync(CancellationToken cancellationToken)
    {
        byte[] one = new byte[1];
        try
        {
            return await stream.ReadAsync(one, cancellationToken) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
