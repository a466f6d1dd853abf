using System.Text.RegularExpressions;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Loading;

/// <summary>
/// Turns a <see cref="PolicyNode"/> tree into a <see cref="KeyPolicy"/>, checking every field and naming the first
/// one that is wrong. The format (YAML shown; JSON has the same fields):
/// <code>
/// name: strict-12m                 # [a-z0-9-], required
/// title: Twelve-month rotation     # optional
/// rules:                           # one or more
///   - id: ek-ak                    # unique in the file, required
///     clause: Internal policy 4.2  # optional, cited in reports
///     description: ...             # optional
///     keys: [EK, AK]               # EK, AK, BroadcastKey, KEK; required
///     deviceTypes: [ESME, GPF]     # CHF, ESME, GPF, PPMID; all four when absent
///     postCommissioning: P7D       # ISO 8601 duration, required
///     maxInterval: P12M            # optional; absent means no periodic rotation
///     triggers:                    # optional
///       - event: suspected-compromise   # suspected-compromise, change-of-supplier, manual
///         within: PT24H
/// </code>
/// </summary>
internal static partial class PolicyDocumentParser
{
    private static readonly string[] PolicyFields = ["name", "title", "rules"];
    private static readonly string[] RuleFields = ["id", "clause", "description", "keys", "deviceTypes", "postCommissioning", "maxInterval", "triggers"];
    private static readonly string[] TriggerFields = ["event", "within"];

    public static KeyPolicy Parse(string file, PolicyNode root)
    {
        var context = new Context(file);
        MappingNode policy = context.Mapping(root, "(document)");
        context.OnlyKnown(policy, PolicyFields, "");

        ScalarNode nameNode = context.RequiredScalar(policy, "name", "name");
        if (!NamePattern().IsMatch(nameNode.Value))
        {
            throw context.Error(nameNode, "name", $"'{nameNode.Value}' must be 1 to 40 characters of a-z, 0-9 and '-'");
        }

        string name = nameNode.Value;
        string title = context.OptionalScalar(policy, "title", "title")?.Value ?? $"Custom policy {name}";
        PolicyNode rulesNode = context.Required(policy, "rules", "rules");
        SequenceNode rules = context.Sequence(rulesNode, "rules");
        if (rules.Items.Count == 0)
        {
            throw context.Error(rules, "rules", "must list at least one rule");
        }

        var parsed = new List<PolicyRule>(rules.Items.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rules.Items.Count; i++)
        {
            PolicyRule rule = ParseRule(context, rules.Items[i], $"rules[{i}]", name);
            if (!ids.Add(rule.Id))
            {
                throw context.Error(Context.Get((MappingNode)rules.Items[i], "id")!, $"rules[{i}].id", $"'{rule.Id}' is already the id of an earlier rule");
            }

            parsed.Add(rule);
        }

        return new KeyPolicy(name, title, parsed);
    }

    private static PolicyRule ParseRule(Context context, PolicyNode node, string path, string policyName)
    {
        MappingNode rule = context.Mapping(node, path);
        context.OnlyKnown(rule, RuleFields, path + ".");

        ScalarNode idNode = context.RequiredScalar(rule, "id", $"{path}.id");
        if (!NamePattern().IsMatch(idNode.Value))
        {
            throw context.Error(idNode, $"{path}.id", $"'{idNode.Value}' must be 1 to 40 characters of a-z, 0-9 and '-'");
        }

        string clause = context.OptionalScalar(rule, "clause", $"{path}.clause")?.Value ?? $"custom policy {policyName}";
        string? description = context.OptionalScalar(rule, "description", $"{path}.description")?.Value;

        var keys = new HashSet<KeyKind>();
        SequenceNode keyList = context.Sequence(context.Required(rule, "keys", $"{path}.keys"), $"{path}.keys");
        if (keyList.Items.Count == 0)
        {
            throw context.Error(keyList, $"{path}.keys", "must list at least one key");
        }

        for (int i = 0; i < keyList.Items.Count; i++)
        {
            ScalarNode item = context.Scalar(keyList.Items[i], $"{path}.keys[{i}]");
            if (!KeyKinds.TryParse(item.Value, out KeyKind key))
            {
                throw context.Error(item, $"{path}.keys[{i}]", $"unknown key '{item.Value}' (expected one of: {string.Join(", ", KeyKinds.All)})");
            }

            if (!keys.Add(key))
            {
                throw context.Error(item, $"{path}.keys[{i}]", $"'{key}' is listed twice");
            }
        }

        var types = new HashSet<string>(StringComparer.Ordinal);
        if (Context.Get(rule, "deviceTypes") is { } typesNode)
        {
            SequenceNode typeList = context.Sequence(typesNode, $"{path}.deviceTypes");
            if (typeList.Items.Count == 0)
            {
                throw context.Error(typeList, $"{path}.deviceTypes", "must list at least one device type (or be left out for all four)");
            }

            for (int i = 0; i < typeList.Items.Count; i++)
            {
                ScalarNode item = context.Scalar(typeList.Items[i], $"{path}.deviceTypes[{i}]");
                string type = DeviceTypes.Normalize(item.Value)
                    ?? throw context.Error(item, $"{path}.deviceTypes[{i}]", $"unknown device type '{item.Value}' (expected one of: {string.Join(", ", DeviceTypes.All)})");
                if (!types.Add(type))
                {
                    throw context.Error(item, $"{path}.deviceTypes[{i}]", $"'{type}' is listed twice");
                }
            }
        }
        else
        {
            types.UnionWith(DeviceTypes.All);
        }

        PolicyPeriod post = context.Period(context.RequiredScalar(rule, "postCommissioning", $"{path}.postCommissioning"), $"{path}.postCommissioning");
        PolicyPeriod? interval = context.OptionalScalar(rule, "maxInterval", $"{path}.maxInterval") is { } intervalNode
            ? context.Period(intervalNode, $"{path}.maxInterval")
            : null;

        var triggers = new List<TriggerRule>();
        if (Context.Get(rule, "triggers") is { } triggersNode)
        {
            SequenceNode triggerList = context.Sequence(triggersNode, $"{path}.triggers");
            for (int i = 0; i < triggerList.Items.Count; i++)
            {
                string at = $"{path}.triggers[{i}]";
                MappingNode trigger = context.Mapping(triggerList.Items[i], at);
                context.OnlyKnown(trigger, TriggerFields, at + ".");
                ScalarNode eventNode = context.RequiredScalar(trigger, "event", $"{at}.event");
                if (!TriggerKinds.TryParse(eventNode.Value, out TriggerKind kind))
                {
                    throw context.Error(eventNode, $"{at}.event", $"unknown event '{eventNode.Value}' (expected one of: {TriggerKinds.AllNames})");
                }

                if (triggers.Exists(t => t.Kind == kind))
                {
                    throw context.Error(eventNode, $"{at}.event", $"'{kind.ToName()}' already has a trigger in this rule");
                }

                triggers.Add(new TriggerRule(kind, context.Period(context.RequiredScalar(trigger, "within", $"{at}.within"), $"{at}.within")));
            }
        }

        description ??= Describe(keys, types, post, interval, triggers);
        return new PolicyRule(idNode.Value, clause, description, keys, types, post, interval, triggers);
    }

    private static string Describe(HashSet<KeyKind> keys, HashSet<string> types, PolicyPeriod post, PolicyPeriod? interval, List<TriggerRule> triggers)
    {
        string text = $"Replace {string.Join(" and ", KeyKinds.All.Where(keys.Contains))} of {string.Join(", ", DeviceTypes.All.Where(types.Contains))} "
            + $"within {post.ToWords()} of commissioning"
            + (interval is { } i ? $", then at intervals of no more than {i.ToWords()}" : ", no periodic rotation");
        foreach (TriggerRule t in triggers)
        {
            text += $"; within {t.Within.ToWords()} of {t.Kind.ToName()}";
        }

        return text + ".";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();

    /// <summary>The file name and the typed accessors that throw the one-line errors.</summary>
    private sealed class Context(string file)
    {
        public PolicyFileException Error(PolicyNode at, string field, string problem) => new(file, at.Line, field, problem);

        public MappingNode Mapping(PolicyNode node, string field) =>
            node as MappingNode ?? throw Error(node, field, $"must be a mapping of fields, not {Describe(node)}");

        public SequenceNode Sequence(PolicyNode node, string field) =>
            node as SequenceNode ?? throw Error(node, field, $"must be a list, not {Describe(node)}");

        public ScalarNode Scalar(PolicyNode node, string field) =>
            node is ScalarNode { IsNull: false } scalar ? scalar : throw Error(node, field, $"must be a single value, not {Describe(node)}");

        public static PolicyNode? Get(MappingNode mapping, string name)
        {
            foreach (KeyValuePair<string, PolicyNode> entry in mapping.Entries)
            {
                if (entry.Key == name)
                {
                    return entry.Value;
                }
            }

            return null;
        }

        public PolicyNode Required(MappingNode mapping, string name, string field) =>
            Get(mapping, name) ?? throw Error(mapping, field, "is required");

        public ScalarNode RequiredScalar(MappingNode mapping, string name, string field) => Scalar(Required(mapping, name, field), field);

        public ScalarNode? OptionalScalar(MappingNode mapping, string name, string field) =>
            Get(mapping, name) is { } node ? Scalar(node, field) : null;

        public void OnlyKnown(MappingNode mapping, string[] known, string prefix)
        {
            foreach (KeyValuePair<string, PolicyNode> entry in mapping.Entries)
            {
                if (Array.IndexOf(known, entry.Key) < 0)
                {
                    throw Error(entry.Value, prefix + entry.Key, $"unknown field (expected one of: {string.Join(", ", known)})");
                }
            }
        }

        public PolicyPeriod Period(ScalarNode node, string field)
        {
            if (!PolicyPeriod.TryParse(node.Value, out PolicyPeriod period))
            {
                throw Error(node, field, $"'{node.Value}' is not an ISO 8601 duration such as P7D, PT24H or P15M");
            }

            return period.IsZero ? throw Error(node, field, "must be longer than zero") : period;
        }

        private static string Describe(PolicyNode node) => node switch
        {
            MappingNode => "a mapping",
            SequenceNode => "a list",
            ScalarNode { IsNull: true } => "null",
            _ => "a single value",
        };
    }
}
