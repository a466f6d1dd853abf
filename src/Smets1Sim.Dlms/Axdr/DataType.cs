namespace Smets1Sim.Dlms.Axdr;

/// <summary>COSEM data type tags (Blue Book 4.1.5, "Data" CHOICE), with their wire values.</summary>
public enum DataType : byte
{
    /// <summary>null-data [0].</summary>
    NullData = 0,
    /// <summary>array [1].</summary>
    Array = 1,
    /// <summary>structure [2].</summary>
    Structure = 2,
    /// <summary>boolean [3].</summary>
    Boolean = 3,
    /// <summary>bit-string [4].</summary>
    BitString = 4,
    /// <summary>double-long [5], Integer32.</summary>
    DoubleLong = 5,
    /// <summary>double-long-unsigned [6], Unsigned32.</summary>
    DoubleLongUnsigned = 6,
    /// <summary>octet-string [9].</summary>
    OctetString = 9,
    /// <summary>visible-string [10].</summary>
    VisibleString = 10,
    /// <summary>utf8-string [12].</summary>
    Utf8String = 12,
    /// <summary>bcd [13].</summary>
    Bcd = 13,
    /// <summary>integer [15], Integer8.</summary>
    Integer = 15,
    /// <summary>long [16], Integer16.</summary>
    Long = 16,
    /// <summary>unsigned [17], Unsigned8.</summary>
    Unsigned = 17,
    /// <summary>long-unsigned [18], Unsigned16.</summary>
    LongUnsigned = 18,
    /// <summary>compact-array [19].</summary>
    CompactArray = 19,
    /// <summary>long64 [20], Integer64.</summary>
    Long64 = 20,
    /// <summary>long64-unsigned [21], Unsigned64.</summary>
    Long64Unsigned = 21,
    /// <summary>enum [22].</summary>
    Enum = 22,
    /// <summary>float32 [23].</summary>
    Float32 = 23,
    /// <summary>float64 [24].</summary>
    Float64 = 24,
    /// <summary>date-time [25], octet-string (SIZE(12)).</summary>
    DateTime = 25,
    /// <summary>date [26], octet-string (SIZE(5)).</summary>
    Date = 26,
    /// <summary>time [27], octet-string (SIZE(4)).</summary>
    Time = 27,
    /// <summary>dont-care [255].</summary>
    DontCare = 255,
}
