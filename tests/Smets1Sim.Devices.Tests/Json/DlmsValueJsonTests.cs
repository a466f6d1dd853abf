using System.Text;
using System.Text.Json;
using Smets1Sim.Devices.Json;
using Smets1Sim.Dlms.Axdr;

namespace Smets1Sim.Devices.Tests.Json;

[TestClass]
public sealed class DlmsValueJsonTests
{
    private static string Write(DlmsValue value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonFiles.Compact))
        {
            DlmsValueJson.Write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static DlmsValue Read(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return DlmsValueJson.Read(doc.RootElement, "$");
    }

    public static IEnumerable<object[]> EveryType()
    {
        yield return [DlmsValue.Null, """{"null-data":null}"""];
        yield return [DlmsDontCare.Instance, """{"dont-care":null}"""];
        yield return [new DlmsBoolean(true), """{"boolean":true}"""];
        yield return [new DlmsBitString([0xA0], 3), """{"bit-string":"101"}"""];
        yield return [new DlmsDoubleLong(-5), """{"double-long":-5}"""];
        yield return [new DlmsDoubleLongUnsigned(uint.MaxValue), """{"double-long-unsigned":4294967295}"""];
        yield return [DlmsValue.OctetString([0, 0, 1, 0, 0, 255]), """{"octet-string":"0000010000FF"}"""];
        yield return [new DlmsVisibleString("GBP"), """{"visible-string":"GBP"}"""];
        yield return [new DlmsUtf8String("£5"), """{"utf8-string":"£5"}"""];
        yield return [new DlmsBcd(0x12), """{"bcd":18}"""];
        yield return [new DlmsInteger(-128), """{"integer":-128}"""];
        yield return [new DlmsLong(-300), """{"long":-300}"""];
        yield return [new DlmsUnsigned(255), """{"unsigned":255}"""];
        yield return [new DlmsLongUnsigned(65535), """{"long-unsigned":65535}"""];
        yield return [new DlmsLong64(long.MinValue), """{"long64":-9223372036854775808}"""];
        yield return [new DlmsLong64Unsigned(ulong.MaxValue), """{"long64-unsigned":18446744073709551615}"""];
        yield return [new DlmsEnum(30), """{"enum":30}"""];
        yield return [new DlmsFloat32(1.5f), """{"float32":1.5}"""];
        yield return [new DlmsFloat64(-2.25), """{"float64":-2.25}"""];
        yield return [new DlmsDateTime(CosemDateTime.FromDateTimeOffset(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))), """{"date-time":"2026-01-01T00:00:00.00+00:00"}"""];
        yield return [new DlmsDateTime(CosemDateTime.Read(Convert.FromHexString("FFFFFFFFFFFFFFFFFF800080"))), """{"date-time":"FFFFFFFFFFFFFFFFFF800080"}"""];
        yield return [new DlmsDate(new CosemDate(2026, 11, 23, 1)), """{"date":"07EA0B1701"}"""];
        yield return [new DlmsTime(new CosemTime(23, 59, 0, 0xFF)), """{"time":"173B00FF"}"""];
        yield return [DlmsValue.Structure(new DlmsInteger(0), new DlmsEnum(30)), """{"structure":[{"integer":0},{"enum":30}]}"""];
        yield return [DlmsValue.Array(), """{"array":[]}"""];
        yield return [new DlmsCompactArray(TypeDescription.Simple(DataType.Unsigned), [new DlmsUnsigned(1)]), """{"axdr":"1311010 1".Replace(" ", "")}"""];
    }

    [TestMethod]
    [DynamicData(nameof(EveryType))]
    public void Write_ThenRead_GivesEqualValue(DlmsValue value, string expectedJson)
    {
        string json = Write(value);
        if (value is not DlmsCompactArray)
        {
            Assert.AreEqual(expectedJson, json);
        }

        Assert.AreEqual(value, Read(json));
    }

    [TestMethod]
    [DataRow("[1]", "$", "expected an object with one type key")]
    [DataRow("""{"unsigned":1,"enum":2}""", "$", "expected exactly one type key, got 2")]
    [DataRow("""{"unsinged":1}""", "$", "unknown type key \"unsinged\"")]
    [DataRow("""{"unsigned":256}""", "$.unsigned", "256 is out of range 0..255")]
    [DataRow("""{"unsigned":"1"}""", "$.unsigned", "expected an integer")]
    [DataRow("""{"octet-string":"ABC"}""", "$.octet-string", "expected an even number of hex digits")]
    [DataRow("""{"bit-string":"102"}""", "$.bit-string", "expected a string of 0 and 1")]
    [DataRow("""{"structure":[{"enum":1},{"enum":-1}]}""", "$.structure[1].enum", "-1 is out of range 0..255")]
    [DataRow("""{"date-time":"not a date"}""", "$.date-time", "")]
    [DataRow("""{"axdr":"0905"}""", "$.axdr", "not a valid A-XDR value")]
    public void Read_BadValue_NamesThePath(string json, string path, string problem)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        Exception ex = Assert.Throws<Exception>(() => DlmsValueJson.Read(doc.RootElement, "$"));
        StringAssert.StartsWith(ex.Message, $"{path}: {problem}");
    }
}
