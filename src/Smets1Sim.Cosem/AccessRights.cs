using System.Collections.Immutable;

namespace Smets1Sim.Cosem;

/// <summary>Attribute access mode (Blue Book 4.4.3, attribute_access_item.access_mode).</summary>
public enum AttributeAccess : byte
{
    /// <summary>no-access.</summary>
    NoAccess = 0,
    /// <summary>read-only.</summary>
    Read = 1,
    /// <summary>write-only.</summary>
    Write = 2,
    /// <summary>read-and-write.</summary>
    ReadWrite = 3,
}

/// <summary>Method access mode (Blue Book 4.4.3, method_access_item.access_mode).</summary>
public enum MethodAccess : byte
{
    /// <summary>no-access.</summary>
    NoAccess = 0,
    /// <summary>access.</summary>
    Access = 1,
}

/// <summary>Access rights of one association to one object; ids beyond the lists have no access.</summary>
public sealed record AccessRights(ImmutableArray<AttributeAccess> Attributes, ImmutableArray<MethodAccess> Methods)
{
    /// <summary>Access mode of attribute <paramref name="attributeId"/> (1-based).</summary>
    public AttributeAccess Attribute(int attributeId)
        => attributeId >= 1 && attributeId <= Attributes.Length ? Attributes[attributeId - 1] : AttributeAccess.NoAccess;

    /// <summary>Access mode of method <paramref name="methodId"/> (1-based).</summary>
    public MethodAccess Method(int methodId)
        => methodId >= 1 && methodId <= Methods.Length ? Methods[methodId - 1] : MethodAccess.NoAccess;

    /// <summary>True when the attribute may be read.</summary>
    public bool CanRead(int attributeId) => (Attribute(attributeId) & AttributeAccess.Read) != 0;

    /// <summary>True when the attribute may be written.</summary>
    public bool CanWrite(int attributeId) => (Attribute(attributeId) & AttributeAccess.Write) != 0;

    /// <summary>True when the method may be invoked.</summary>
    public bool CanInvoke(int methodId) => Method(methodId) == MethodAccess.Access;

    /// <inheritdoc />
    public bool Equals(AccessRights? other)
        => other is not null && Attributes.AsSpan().SequenceEqual(other.Attributes.AsSpan()) && Methods.AsSpan().SequenceEqual(other.Methods.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Attributes.Length, Methods.Length);
}
