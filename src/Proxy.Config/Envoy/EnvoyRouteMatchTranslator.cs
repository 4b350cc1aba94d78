using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>A <c>RouteMatch</c>: prefix, path or safe_regex, with header and query parameter conditions.</summary>
internal static class EnvoyRouteMatchTranslator
{
    /// <summary>False when a condition cannot be honoured (the route is then left out).</summary>
    public static bool Translate(SourceTable match, TargetTable target)
    {
        var usable = true;
        target.Copy("prefix", match, "prefix");
        target.Copy("path", match, "path");
        if (match.Child("safe_regex") is { } regex)
        {
            usable &= Regex(regex, target, "regex");
        }

        if (match.Find("case_sensitive") is ConfigScalar { Text: "false" or "False" } caseless)
        {
            match.Context.Unsupported(match.PathOf("case_sensitive"), caseless.Position, "case-insensitive matching is not supported; the route is left out");
            usable = false;
        }

        foreach (var key in new[] { "path_separated_prefix", "path_match_policy", "connect_matcher", "runtime_fraction", "grpc", "tls_context", "dynamic_metadata", "filter_state" })
        {
            if (match.Has(key))
            {
                match.Unsupported(key, "not supported; the route is left out");
                usable = false;
            }
        }

        if (!match.Has("prefix") && !match.Has("path") && !match.Has("safe_regex") && usable)
        {
            match.Context.Unsupported(match.Path, match.Position, "a route needs prefix, path or safe_regex; the route is left out");
            usable = false;
        }

        usable &= Conditions(match, "headers", target, lowerCaseNames: true);
        usable &= Conditions(match, "query_parameters", target, lowerCaseNames: false);
        match.Finish();
        return usable;
    }

    private static bool Conditions(SourceTable match, string key, TargetTable target, bool lowerCaseNames)
    {
        var usable = true;
        TargetArray? array = null;
        foreach (var condition in match.Children(key))
        {
            array ??= target.Array(key, match.PathOf(key));
            var table = TargetTable.Detached();
            if (condition.String("name") is not { } name)
            {
                condition.Context.Refuse(condition.PathOf("name"), condition.Position, "missing required key");
                condition.TakeAll();
                usable = false;
                continue;
            }

            table.Set("name", lowerCaseNames ? name.ToLowerInvariant() : name, condition.PositionOf("name"), condition.PathOf("name"));
            var inverted = condition.Find("invert_match") is ConfigScalar { Text: "true" or "True" };
            var ok = Condition(condition, table, inverted);
            condition.Ignore("treat_missing_header_as_empty");
            condition.Finish();
            if (ok)
            {
                array.AddTable(condition.Path, condition.Position).Adopt(table);
            }

            usable &= ok;
        }

        return usable;
    }

    private static bool Condition(SourceTable condition, TargetTable table, bool inverted)
    {
        if (condition.Find("present_match") is ConfigScalar present)
        {
            var wanted = present.Text is "true" or "True";
            table.Set(wanted != inverted ? "present" : "absent", new ConfigScalar(ScalarKind.Boolean, "true", present.Position), condition.PathOf("present_match"));
            return true;
        }

        if (inverted)
        {
            condition.Context.Unsupported(condition.PathOf("invert_match"), condition.Position, "inverted matches are not supported; the route is left out");
            return false;
        }

        var matcher = condition.Child("string_match");
        if (matcher is null)
        {
            // The older header fields, and the query parameter's own.
            table.Copy("exact", condition, "exact_match");
            table.Copy("prefix", condition, "prefix_match");
            if (condition.Child("safe_regex_match") is { } legacyRegex)
            {
                return Regex(legacyRegex, table, "regex");
            }

            if (!table.Table.TryGet("exact", out _) && !table.Table.TryGet("prefix", out _))
            {
                condition.Context.Unsupported(condition.Path, condition.Position, "only exact, prefix, safe_regex and present matches are supported; the route is left out");
                condition.TakeAll();
                return false;
            }

            return true;
        }

        var usable = true;
        table.Copy("exact", matcher, "exact");
        table.Copy("prefix", matcher, "prefix");
        if (matcher.Child("safe_regex") is { } regex)
        {
            usable &= Regex(regex, table, "regex");
        }

        foreach (var key in new[] { "suffix", "contains", "ignore_case" })
        {
            if (matcher.Has(key) && !(key == "ignore_case" && matcher.Find(key) is ConfigScalar { Text: "false" or "False" }))
            {
                matcher.Unsupported(key, "not supported; the route is left out");
                usable = false;
            }
        }

        matcher.Finish();
        return usable;
    }

    /// <summary>RE2 patterns are used as .NET patterns: the common subset reads the same.</summary>
    public static bool Regex(SourceTable regex, TargetTable table, string key)
    {
        regex.Ignore("google_re2");
        table.Copy(key, regex, "regex");
        regex.Finish();
        return regex.Has("regex");
    }
}
