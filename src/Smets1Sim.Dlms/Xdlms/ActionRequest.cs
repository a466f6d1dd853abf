using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Action-Request CHOICE alternatives (Green Book 9.3), with their wire values.</summary>
public enum ActionRequestType : byte
{
    /// <summary>action-request-normal [1].</summary>
    Normal = 1,
    /// <summary>action-request-next-pblock [2].</summary>
    NextPblock = 2,
    /// <summary>action-request-with-list [3].</summary>
    WithList = 3,
    /// <summary>action-request-with-first-pblock [4].</summary>
    WithFirstPblock = 4,
    /// <summary>action-request-with-list-and-first-pblock [5].</summary>
    WithListAndFirstPblock = 5,
    /// <summary>action-request-with-pblock [6].</summary>
    WithPblock = 6,
}

/// <summary>
/// action-request [195] (Green Book 9.3):
/// <code>
/// C3 | choice | invoke-id-and-priority | body
/// </code>
/// </summary>
public abstract record ActionRequest : XdlmsApdu
{
    private protected ActionRequest(InvokeIdAndPriority invokeIdAndPriority) => InvokeIdAndPriority = invokeIdAndPriority;

    /// <summary>Invoke-id and priority; the response echoes it.</summary>
    public InvokeIdAndPriority InvokeIdAndPriority { get; }

    /// <summary>The CHOICE alternative.</summary>
    public abstract ActionRequestType RequestType { get; }

    /// <inheritdoc />
    public sealed override XdlmsTag Tag => XdlmsTag.ActionRequest;

    /// <inheritdoc />
    public sealed override void Encode(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteHeader(writer, Tag, (byte)RequestType, InvokeIdAndPriority);
        EncodeBody(writer);
    }

    /// <summary>Decodes an action-request that fills <paramref name="apdu"/>.</summary>
    public static ActionRequest Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null) => XdlmsApduCodec.Decode<ActionRequest>(apdu, limits);

    private protected abstract void EncodeBody(IBufferWriter<byte> writer);

    internal static ActionRequest Read(ref DlmsReader reader, AxdrLimits limits)
    {
        reader.Expect((byte)XdlmsTag.ActionRequest, "action-request");
        ActionRequestType type = XdlmsWire.ReadChoice<ActionRequestType>(ref reader, "action-request");
        InvokeIdAndPriority invoke = XdlmsWire.ReadInvoke(ref reader);
        switch (type)
        {
            case ActionRequestType.Normal:
            {
                CosemMethodDescriptor method = CosemMethodDescriptor.Read(ref reader);
                DlmsValue? parameters = XdlmsWire.ReadPresence(ref reader, "method-invocation-parameters")
                    ? XdlmsWire.ReadData(ref reader, limits)
                    : null;
                return new ActionRequestNormal(invoke, method, parameters);
            }

            case ActionRequestType.NextPblock:
                return new ActionRequestNextPblock(invoke, reader.ReadUInt32("block-number"));
            case ActionRequestType.WithList:
            {
                ImmutableArray<CosemMethodDescriptor> methods = ReadMethodList(ref reader);
                int countAt = reader.Position;
                int count = XdlmsWire.ReadCount(ref reader, "method-invocation-parameters", 1);
                if (count != methods.Length)
                {
                    reader.Rewind(countAt);
                    throw reader.Error($"method-invocation-parameters has {count} values for {methods.Length} methods");
                }

                var parameters = ImmutableArray.CreateBuilder<DlmsValue>(count);
                for (int i = 0; i < count; i++)
                {
                    parameters.Add(XdlmsWire.ReadData(ref reader, limits));
                }

                return new ActionRequestWithList(invoke, methods, parameters.MoveToImmutable());
            }

            case ActionRequestType.WithFirstPblock:
            {
                CosemMethodDescriptor method = CosemMethodDescriptor.Read(ref reader);
                return new ActionRequestWithFirstPblock(invoke, method, DataBlock.Read(ref reader));
            }

            case ActionRequestType.WithListAndFirstPblock:
            {
                ImmutableArray<CosemMethodDescriptor> methods = ReadMethodList(ref reader);
                return new ActionRequestWithListAndFirstPblock(invoke, methods, DataBlock.Read(ref reader));
            }

            default:
                return new ActionRequestWithPblock(invoke, DataBlock.Read(ref reader));
        }
    }

    private protected static void WriteMethodList(IBufferWriter<byte> writer, ImmutableArray<CosemMethodDescriptor> methods)
    {
        XdlmsWire.WriteCount(writer, methods.Length);
        foreach (CosemMethodDescriptor method in methods)
        {
            method.Encode(writer);
        }
    }

    private static ImmutableArray<CosemMethodDescriptor> ReadMethodList(ref DlmsReader reader)
    {
        int count = XdlmsWire.ReadCount(ref reader, "cosem-method-descriptor-list", CosemMethodDescriptor.Size);
        var items = ImmutableArray.CreateBuilder<CosemMethodDescriptor>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(CosemMethodDescriptor.Read(ref reader));
        }

        return items.MoveToImmutable();
    }
}

/// <summary>
/// action-request-normal: <c>C3 01 invoke method-descriptor(9) parameters(00 | 01 Data)</c>.
/// </summary>
public sealed record ActionRequestNormal : ActionRequest
{
    /// <summary>Creates the request; <paramref name="parameters"/> null = no method-invocation-parameters.</summary>
    public ActionRequestNormal(InvokeIdAndPriority invokeIdAndPriority, CosemMethodDescriptor method, DlmsValue? parameters = null)
        : base(invokeIdAndPriority)
    {
        Method = XdlmsWire.NotNull(method, nameof(method));
        Parameters = parameters;
    }

    /// <summary>The method to invoke.</summary>
    public CosemMethodDescriptor Method { get; }

    /// <summary>method-invocation-parameters, or null when absent.</summary>
    public DlmsValue? Parameters { get; }

    /// <inheritdoc />
    public override ActionRequestType RequestType => ActionRequestType.Normal;

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        Method.Encode(writer);
        if (Parameters is null)
        {
            writer.WriteByte(0);
        }
        else
        {
            writer.WriteByte(1);
            XdlmsWire.WriteData(writer, Parameters);
        }
    }
}

/// <summary>action-request-next-pblock: <c>C3 02 invoke block-number(u32)</c>, acknowledging a response block.</summary>
public sealed record ActionRequestNextPblock : ActionRequest
{
    /// <summary>Creates the request.</summary>
    public ActionRequestNextPblock(InvokeIdAndPriority invokeIdAndPriority, uint blockNumber)
        : base(invokeIdAndPriority) => BlockNumber = blockNumber;

    /// <summary>The number of the last block received.</summary>
    public uint BlockNumber { get; }

    /// <inheritdoc />
    public override ActionRequestType RequestType => ActionRequestType.NextPblock;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => writer.WriteUInt32(BlockNumber);
}

/// <summary>
/// action-request-with-list: <c>C3 03 invoke count {method-descriptor}*count count {Data}*count</c>.
/// Both lists have the same length (checked on decode and construction).
/// </summary>
public sealed record ActionRequestWithList : ActionRequest
{
    /// <summary>Creates the request.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public ActionRequestWithList(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<CosemMethodDescriptor> methods, ImmutableArray<DlmsValue> parameters)
        : base(invokeIdAndPriority)
    {
        Methods = XdlmsWire.NotDefault(methods, nameof(methods));
        Parameters = XdlmsWire.NotDefault(parameters, nameof(parameters));
        if (methods.Length != parameters.Length)
        {
            throw new ArgumentException($"{parameters.Length} parameters for {methods.Length} methods", nameof(parameters));
        }
    }

    /// <summary>The methods to invoke.</summary>
    public ImmutableArray<CosemMethodDescriptor> Methods { get; }

    /// <summary>One parameter value per method (the list form has no "absent" marker).</summary>
    public ImmutableArray<DlmsValue> Parameters { get; }

    /// <inheritdoc />
    public override ActionRequestType RequestType => ActionRequestType.WithList;

    /// <inheritdoc />
    public bool Equals(ActionRequestWithList? other)
        => base.Equals(other) && XdlmsWire.SequenceEquals(Methods, other.Methods) && XdlmsWire.SequenceEquals(Parameters, other.Parameters);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Methods), XdlmsWire.SequenceHash(Parameters));

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        WriteMethodList(writer, Methods);
        XdlmsWire.WriteCount(writer, Parameters.Length);
        foreach (DlmsValue value in Parameters)
        {
            XdlmsWire.WriteData(writer, value);
        }
    }
}

/// <summary>action-request-with-first-pblock: <c>C3 04 invoke method-descriptor(9) DataBlock-SA</c>.</summary>
public sealed record ActionRequestWithFirstPblock : ActionRequest
{
    /// <summary>Creates the request.</summary>
    public ActionRequestWithFirstPblock(InvokeIdAndPriority invokeIdAndPriority, CosemMethodDescriptor method, DataBlock block)
        : base(invokeIdAndPriority)
    {
        Method = XdlmsWire.NotNull(method, nameof(method));
        Block = XdlmsWire.NotNull(block, nameof(block));
    }

    /// <summary>The method to invoke.</summary>
    public CosemMethodDescriptor Method { get; }

    /// <summary>The first block of the encoded parameters.</summary>
    public DataBlock Block { get; }

    /// <inheritdoc />
    public override ActionRequestType RequestType => ActionRequestType.WithFirstPblock;

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        Method.Encode(writer);
        Block.Encode(writer);
    }
}

/// <summary>
/// action-request-with-list-and-first-pblock: <c>C3 05 invoke count {method-descriptor}*count DataBlock-SA</c>.
/// </summary>
public sealed record ActionRequestWithListAndFirstPblock : ActionRequest
{
    /// <summary>Creates the request.</summary>
    public ActionRequestWithListAndFirstPblock(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<CosemMethodDescriptor> methods, DataBlock block)
        : base(invokeIdAndPriority)
    {
        Methods = XdlmsWire.NotDefault(methods, nameof(methods));
        Block = XdlmsWire.NotNull(block, nameof(block));
    }

    /// <summary>The methods to invoke.</summary>
    public ImmutableArray<CosemMethodDescriptor> Methods { get; }

    /// <summary>The first block of the encoded parameters.</summary>
    public DataBlock Block { get; }

    /// <inheritdoc />
    public override ActionRequestType RequestType => ActionRequestType.WithListAndFirstPblock;

    /// <inheritdoc />
    public bool Equals(ActionRequestWithListAndFirstPblock? other)
        => base.Equals(other) && XdlmsWire.SequenceEquals(Methods, other.Methods) && Block.Equals(other.Block);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Methods), Block);

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        WriteMethodList(writer, Methods);
        Block.Encode(writer);
    }
}

/// <summary>action-request-with-pblock: <c>C3 06 invoke DataBlock-SA</c>.</summary>
public sealed record ActionRequestWithPblock : ActionRequest
{
    /// <summary>Creates the request.</summary>
    public ActionRequestWithPblock(InvokeIdAndPriority invokeIdAndPriority, DataBlock block)
        : base(invokeIdAndPriority) => Block = XdlmsWire.NotNull(block, nameof(block));

    /// <summary>The next block.</summary>
    public DataBlock Block { get; }

    /// <inheritdoc />
    public override ActionRequestType RequestType => ActionRequestType.WithPblock;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => Block.Encode(writer);
}
