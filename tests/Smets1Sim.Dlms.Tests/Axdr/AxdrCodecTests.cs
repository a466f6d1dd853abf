using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;

namespace Smets1Sim.Dlms.Tests.Axdr;

[TestClass]
public sealed class AxdrCodecTests
{
    // Hand-encoded from the Blue Book 4.1.5 layouts (tag, then content; lengths A-XDR variable length).
    public static IEnumerable<object[]> GoldenVectors()
    {
        yield return ["00", DlmsValue.Null];
        yield return ["FF", DlmsDontCare.Instance];
        yield return ["0301", new DlmsBoolean(true)];
        yield return ["0300", new DlmsBoolean(false)];
        yield return ["040A5AC0", new DlmsBitString([0x5A, 0xC0], 10)];
        yield return ["05FFFFFF85", new DlmsDoubleLong(-123)];
        yield return ["060000007B", new DlmsDoubleLongUnsigned(123)];
        yield return ["0906010203040506", DlmsValue.OctetString([1, 2, 3, 4, 5, 6])];
        yield return ["0900", DlmsValue.OctetString([])];
        yield return ["0A03414243", new DlmsVisibleString("ABC")];
        yield return ["0C03C3A941", new DlmsUtf8String("éA")];
        yield return ["0D42", new DlmsBcd(0x42)];
        yield return ["0F80", new DlmsInteger(-128)];
        yield return ["10FFFE", new DlmsLong(-2)];
        yield return ["11FF", new DlmsUnsigned(255)];
        yield return ["12ABCD", new DlmsLongUnsigned(0xABCD)];
        yield return ["14FFFFFFFFFFFFFFFF", new DlmsLong64(-1)];
        yield return ["150102030405060708", new DlmsLong64Unsigned(0x0102030405060708)];
        yield return ["1603", new DlmsEnum(3)];
        yield return ["173FC00000", new DlmsFloat32(1.5f)];
        yield return ["18400C000000000000", new DlmsFloat64(3.5)];
        // 2026-11-23 (Monday) 09:30:15.50, deviation 0 (UTC), status 0.
        yield return ["1907EA0B17010 91E0F32000000".Replace(" ", string.Empty, StringComparison.Ordinal),
            new DlmsDateTime(new CosemDateTime(new CosemDate(2026, 11, 23, 1), new CosemTime(9, 30, 15, 50), 0, ClockStatus.None))];
        yield return ["1AFFFF0CFEFF", new DlmsDate(new CosemDate(0xFFFF, 12, 0xFE, 0xFF))];
        yield return ["1B173B3BFF", new DlmsTime(new CosemTime(23, 59, 59, 0xFF))];
        yield return ["0102120001120002", DlmsValue.Array(new DlmsLongUnsigned(1), new DlmsLongUnsigned(2))];
        yield return ["020309020102110300", DlmsValue.Structure(DlmsValue.OctetString([1, 2]), new DlmsUnsigned(3), DlmsValue.Null)];
        // compact-array of three long-unsigned: description 12, contents 6 bytes.
        yield return ["1312 06 000100020003".Replace(" ", string.Empty, StringComparison.Ordinal),
            new DlmsCompactArray(TypeDescription.Simple(DataType.LongUnsigned),
                [new DlmsLongUnsigned(1), new DlmsLongUnsigned(2), new DlmsLongUnsigned(3)])];
        // compact-array of structure {unsigned, octet-string}: description 02 02 11 09, two rows.
        yield return ["1302021109 07 0701AA 030200BB".Replace(" ", string.Empty, StringComparison.Ordinal),
            new DlmsCompactArray(
                new TypeDescription(DataType.Structure, [TypeDescription.Simple(DataType.Unsigned), TypeDescription.Simple(DataType.OctetString)]),
                [DlmsValue.Structure(new DlmsUnsigned(7), DlmsValue.OctetString([0xAA])), DlmsValue.Structure(new DlmsUnsigned(3), DlmsValue.OctetString([0x00, 0xBB]))])];
        // compact-array of array[2] of integer.
        yield return ["130100020F04 01020304".Replace(" ", string.Empty, StringComparison.Ordinal),
            new DlmsCompactArray(
                new TypeDescription(DataType.Array, [TypeDescription.Simple(DataType.Integer)], 2),
                [DlmsValue.Array(new DlmsInteger(1), new DlmsInteger(2)), DlmsValue.Array(new DlmsInteger(3), new DlmsInteger(4))])];
    }

    [TestMethod]
    [DynamicData(nameof(GoldenVectors))]
    public void Decode_GoldenVector_GivesValue(string hex, DlmsValue expected)
    {
        Assert.AreEqual(expected, AxdrDecoder.Decode(Convert.FromHexString(hex)));
    }

    [TestMethod]
    [DynamicData(nameof(GoldenVectors))]
    public void Encode_GoldenVector_GivesBytes(string hex, DlmsValue value)
    {
        Assert.AreEqual(hex, Convert.ToHexString(value.ToArray()));
    }

    [TestMethod]
    [DynamicData(nameof(GoldenVectors))]
    public void Decode_EveryStrictPrefix_ThrowsProtocolException(string hex, DlmsValue value)
    {
        _ = value;
        byte[] full = Convert.FromHexString(hex);
        for (int length = 0; length < full.Length; length++)
        {
            byte[] prefix = full[..length];
            // A compact-array of zero-size elements or an empty contents could be a valid shorter value; none of these vectors is.
            Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(prefix), $"prefix of {length} bytes of {hex}");
        }
    }

    [TestMethod]
    public void Decode_LongFormLengths_AcceptedAndReencodedShortest()
    {
        Assert.AreEqual(DlmsValue.OctetString([0xAB]), AxdrDecoder.Decode(Convert.FromHexString("098101AB")));
        Assert.AreEqual(DlmsValue.OctetString([0xAB]), AxdrDecoder.Decode(Convert.FromHexString("09840000 0001AB".Replace(" ", string.Empty, StringComparison.Ordinal))));
        byte[] big = new byte[300];
        byte[] encoded = DlmsValue.OctetString(big).ToArray();
        Assert.AreEqual("09820 12C".Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToHexString(encoded[..4]));
        Assert.AreEqual(DlmsValue.OctetString(big), AxdrDecoder.Decode(encoded));
        byte[] medium = new byte[0x80];
        Assert.AreEqual("098180", Convert.ToHexString(DlmsValue.OctetString(medium).ToArray()[..3]));
    }

    [TestMethod]
    public void Decode_WithPrefixOverload_ReportsBytesConsumed()
    {
        DlmsValue value = AxdrDecoder.Decode(Convert.FromHexString("1101C4"), out int consumed);
        Assert.AreEqual(new DlmsUnsigned(1), value);
        Assert.AreEqual(2, consumed);
    }

    [TestMethod]
    public void RoundTrip_NestedStructures_EqualByValue()
    {
        DlmsValue value = DlmsValue.Array(
            DlmsValue.Structure(new DlmsLongUnsigned(8), DlmsValue.OctetString([0, 0, 1, 0, 0, 255]), new DlmsInteger(2),
                DlmsValue.Structure(DlmsValue.Array(), new DlmsUtf8String("ünï"), new DlmsFloat64(double.NaN))),
            DlmsValue.Structure(new DlmsBitString([0xFF, 0x80], 9), new DlmsLong64(long.MinValue), new DlmsBoolean(true)));
        byte[] encoded = value.ToArray();
        DlmsValue decoded = AxdrDecoder.Decode(encoded);
        Assert.AreEqual(value, decoded);
        Assert.AreEqual(value.GetHashCode(), decoded.GetHashCode());
        CollectionAssert.AreEqual(encoded, decoded.ToArray());
    }

    [TestMethod]
    public void RoundTrip_SeededRandomValues_ReencodeIdentically()
    {
        var random = new Random(20261123);
        for (int i = 0; i < 2_000; i++)
        {
            DlmsValue value = RandomValue(random, depth: 0);
            byte[] encoded = value.ToArray();
            DlmsValue decoded = AxdrDecoder.Decode(encoded);
            Assert.AreEqual(value, decoded, Convert.ToHexString(encoded));
            CollectionAssert.AreEqual(encoded, decoded.ToArray());
        }
    }

    [TestMethod]
    public void Equality_OctetStringsWithSameBytes_AreEqual()
    {
        Assert.AreEqual(DlmsValue.OctetString([1, 2]), DlmsValue.OctetString([1, 2]));
        Assert.AreNotEqual(DlmsValue.OctetString([1, 2]), DlmsValue.OctetString([1, 3]));
        Assert.AreNotEqual<DlmsValue>(DlmsValue.Array(new DlmsUnsigned(1)), DlmsValue.Structure(new DlmsUnsigned(1)));
    }

    [TestMethod]
    public void BitString_UnusedTrailingBitsAreCleared_AndIndexerReadsMsbFirst()
    {
        var bits = new DlmsBitString([0xFF], 3);
        CollectionAssert.AreEqual(new byte[] { 0xE0 }, bits.Bytes.ToArray());
        Assert.IsTrue(bits[0]);
        Assert.IsTrue(bits[2]);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => bits[3]);
    }

    [TestMethod]
    public void Encode_VisibleStringWithWideCharacter_IsCallerBug()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new DlmsVisibleString("€").ToArray());
    }

    [TestMethod]
    public void Encode_CompactArrayElementNotMatchingDescription_IsCallerBug()
    {
        var bad = new DlmsCompactArray(TypeDescription.Simple(DataType.Unsigned), [new DlmsLongUnsigned(1)]);
        Assert.ThrowsExactly<ArgumentException>(() => bad.ToArray());
    }

    internal static DlmsValue RandomValue(Random random, int depth)
    {
        int kind = random.Next(depth >= 4 ? 20 : 23);
        byte[] Bytes(int max)
        {
            byte[] b = new byte[random.Next(max)];
            random.NextBytes(b);
            return b;
        }

        int Count() => random.Next(4);
        return kind switch
        {
            0 => DlmsValue.Null,
            1 => new DlmsBoolean(random.Next(2) == 1),
            2 => new DlmsDoubleLong(random.Next(int.MinValue, int.MaxValue)),
            3 => new DlmsDoubleLongUnsigned((uint)random.NextInt64(0, uint.MaxValue)),
            4 => DlmsValue.OctetString(Bytes(200)),
            5 => new DlmsVisibleString(new string('x', random.Next(150))),
            6 => new DlmsUtf8String("smart £ meter " + random.Next()),
            7 => new DlmsBcd((byte)random.Next(256)),
            8 => new DlmsInteger((sbyte)random.Next(-128, 128)),
            9 => new DlmsLong((short)random.Next(short.MinValue, short.MaxValue)),
            10 => new DlmsUnsigned((byte)random.Next(256)),
            11 => new DlmsLongUnsigned((ushort)random.Next(65536)),
            12 => new DlmsLong64(random.NextInt64(long.MinValue, long.MaxValue)),
            13 => new DlmsLong64Unsigned((ulong)random.NextInt64()),
            14 => new DlmsEnum((byte)random.Next(256)),
            15 => new DlmsFloat32((float)random.NextDouble()),
            16 => new DlmsFloat64(random.NextDouble() * 1e9),
            17 => new DlmsDateTime(CosemDateTime.FromDateTimeOffset(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next()))),
            18 => new DlmsBitString(new byte[2], random.Next(9, 17)),
            19 => new DlmsDate(new CosemDate((ushort)random.Next(2000, 2100), (byte)random.Next(1, 13), (byte)random.Next(1, 29), 0xFF)),
            20 => new DlmsArray([.. Enumerable.Range(0, Count()).Select(_ => RandomValue(random, depth + 1))]),
            21 => new DlmsStructure([.. Enumerable.Range(0, Count()).Select(_ => RandomValue(random, depth + 1))]),
            _ => new DlmsCompactArray(TypeDescription.Simple(DataType.DoubleLongUnsigned),
                [.. Enumerable.Range(0, Count()).Select(i => (DlmsValue)new DlmsDoubleLongUnsigned((uint)i))]),
        };
    }
}
