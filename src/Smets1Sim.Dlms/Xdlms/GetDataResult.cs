using System.Buffers;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// Get-Data-Result ::= CHOICE { data [0] Data, data-access-result [1] IMPLICIT Data-Access-Result }
/// (Green Book 9.3): either a value or the reason there is none.
/// </summary>
public sealed record GetDataResult
{
    private GetDataResult(DlmsValue? data, DataAccessResult accessResult)
    {
        Data = data;
        AccessResult = accessResult;
    }

    /// <summary>The value, when <see cref="HasData"/>.</summary>
    public DlmsValue? Data { get; }

    /// <summary>
    /// The data-access-result alternative; <see cref="DataAccessResult.Success"/> when the result carries data.
    /// </summary>
    public DataAccessResult AccessResult { get; }

    /// <summary>True for the data alternative.</summary>
    public bool HasData => Data is not null;

    /// <summary>The data alternative.</summary>
    public static GetDataResult FromData(DlmsValue data) => new(XdlmsWire.NotNull(data, nameof(data)), DataAccessResult.Success);

    /// <summary>The data-access-result alternative.</summary>
    public static GetDataResult FromError(DataAccessResult accessResult) => new(null, accessResult);

    /// <summary>Shorthand for <see cref="FromData"/>.</summary>
    public static implicit operator GetDataResult(DlmsValue data) => FromData(data);

    /// <summary>Shorthand for <see cref="FromError"/>.</summary>
    public static implicit operator GetDataResult(DataAccessResult accessResult) => FromError(accessResult);

    /// <summary>Smallest encoding: CHOICE byte plus one byte.</summary>
    internal const int MinSize = 2;

    internal void Write(IBufferWriter<byte> writer)
    {
        if (Data is not null)
        {
            writer.WriteByte(0);
            XdlmsWire.WriteData(writer, Data);
        }
        else
        {
            writer.WriteByte(1);
            writer.WriteByte((byte)AccessResult);
        }
    }

    internal static GetDataResult Read(ref DlmsReader reader, AxdrLimits limits)
    {
        byte choice = reader.PeekByte("Get-Data-Result choice");
        switch (choice)
        {
            case 0:
                reader.ReadByte("Get-Data-Result choice");
                return FromData(XdlmsWire.ReadData(ref reader, limits));
            case 1:
                reader.ReadByte("Get-Data-Result choice");
                return FromError(XdlmsWire.ReadDataAccessResult(ref reader));
            default:
                throw reader.Error($"unknown Get-Data-Result choice {choice}");
        }
    }

    /// <inheritdoc />
    public override string ToString() => HasData ? $"data {Data}" : $"data-access-result {AccessResult}";
}
