using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;

namespace VectLite.VectorData;

/// <summary>
/// Translates an MEVD LINQ filter (<c>r =&gt; r.Category == "a" &amp;&amp; r.Price &lt; 10</c>) into an engine
/// <see cref="Filter"/> that runs inside the engine, next to the payload indexes.
/// </summary>
/// <remarks>
/// <para>Supported: <c>== != &lt; &lt;= &gt; &gt;=</c> between a property and a value; <c>&amp;&amp; || !</c>; a bool
/// property alone (<c>r.IsActive</c>, <c>!r.IsActive</c>); <c>Contains</c> on an array or list property
/// (<c>$contains</c>) and on a captured or inline collection (<c>$in</c>); <c>r.Tags.Any(t =&gt; values.Contains(t))</c>
/// (<c>$in</c>, matching any element); <c>r.Tags == array</c> / <c>!=</c> on an array or list property (whole-array
/// equality: same length, equal elements in the same order; MEVD's InMemory connector compares references there, and
/// its MongoDB connector refuses lists); <c>string.Contains</c> (ordinal substring); <c>== null</c> / <c>!= null</c> and
/// <c>HasValue</c>. Captured variables, member accesses and any other sub-expression that does not read the record are
/// evaluated once, at translation time.</para>
/// <para>Null semantics follow C#: <c>r.X == null</c> matches JSON null and a missing field; <c>r.X != v</c> matches
/// records where X is null; an ordering comparison with a null value matches nothing.</para>
/// <para>Anything else throws <see cref="NotSupportedException"/> naming the expression. One instance per translation.</para>
/// </remarks>
internal sealed class VectLiteFilterTranslator : FilterTranslatorBase
{
    private static readonly FilterPreprocessingOptions s_preprocessing = new() { SupportsParameterization = false };

    // Any path works: $in with no values matches no record.
    private static readonly Filter s_matchNothing = Filter.In("_", []);

    /// <summary>C#'s implicit numeric conversions: the source type, and the types it widens to.</summary>
    private static readonly Dictionary<Type, Type[]> s_wideningTargets = new()
    {
        [typeof(sbyte)] = [typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal)],
        [typeof(byte)] = [typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal)],
        [typeof(short)] = [typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal)],
        [typeof(ushort)] = [typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal)],
        [typeof(int)] = [typeof(long), typeof(float), typeof(double), typeof(decimal)],
        [typeof(uint)] = [typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal)],
        [typeof(long)] = [typeof(float), typeof(double), typeof(decimal)],
        [typeof(ulong)] = [typeof(float), typeof(double), typeof(decimal)],
        [typeof(float)] = [typeof(double)],
    };

    /// <summary>The engine filter for <paramref name="filter"/>; null when it accepts every record (<c>r =&gt; true</c>).</summary>
    /// <exception cref="NotSupportedException">Part of the expression cannot be translated; the message names it.</exception>
    public Filter? Translate(LambdaExpression filter, CollectionModel model)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Expression body = PreprocessFilter(filter, model, s_preprocessing);
        Condition result = Translate(body);
        return result.Filter ?? (result.Constant ? null : s_matchNothing);
    }

    /// <inheritdoc/>
    protected override bool TryBindProperty(Expression expression, [NotNullWhen(true)] out PropertyModel? propertyModel)
    {
        while (true)
        {
            if (expression is MemberExpression { Member.Name: nameof(Nullable<int>.Value), Expression: { } inner }
                && Nullable.GetUnderlyingType(inner.Type) is not null)
            {
                expression = inner; // r.NullableInt.Value reads the property too
            }
            else if (expression is UnaryExpression { NodeType: ExpressionType.Convert, Operand: var operand } convert
                && IsWideningNumericConversion(operand.Type, convert.Type))
            {
                expression = operand; // r.Short == 5 compiles to (int)r.Short == 5; the stored number compares the same
            }
            else
            {
                return base.TryBindProperty(expression, out propertyModel);
            }
        }
    }

    /// <summary>C#'s implicit numeric conversions (nullable or not), which keep the value and so the comparison.</summary>
    private static bool IsWideningNumericConversion(Type from, Type to)
    {
        Type source = Nullable.GetUnderlyingType(from) ?? from;
        Type target = Nullable.GetUnderlyingType(to) ?? to;
        return source != target && s_wideningTargets.TryGetValue(source, out Type[]? targets) && targets.Contains(target);
    }

    private Condition Translate(Expression node)
    {
        if (node.Type == typeof(bool) && TryEvaluate(node, out object? constant))
        {
            return Condition.Of((bool)constant!);
        }

        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso } and:
                return Condition.And(Translate(and.Left), Translate(and.Right));
            case BinaryExpression { NodeType: ExpressionType.OrElse } or:
                return Condition.Or(Translate(or.Left), Translate(or.Right));
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                return TranslateNot(not.Operand);
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } equality:
                return TranslateEquality(equality);
            case BinaryExpression { NodeType: ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual } comparison:
                return TranslateComparison(comparison);
            case MethodCallExpression call:
                return TranslateMethodCall(call);
            case MemberExpression { Member.Name: nameof(Nullable<int>.HasValue), Expression: { } nullable }
                when Nullable.GetUnderlyingType(nullable.Type) is not null && TryBindProperty(nullable, out PropertyModel? property):
                return new(Filter.Ne(PathOf(property, node), FilterValue.Null));
            default:
                if (node.Type == typeof(bool) && TryBindProperty(node, out PropertyModel? flag))
                {
                    return new(Filter.Eq(PathOf(flag, node), true));
                }
                throw Unsupported(node);
        }
    }

    private Condition TranslateNot(Expression operand)
    {
        // !r.IsActive: equality with false can use a bool payload index; a negated filter cannot.
        if (operand.Type == typeof(bool) && TryBindProperty(operand, out PropertyModel? flag))
        {
            return new(Filter.Eq(PathOf(flag, operand), false));
        }
        return Condition.Not(Translate(operand));
    }

    private Condition TranslateEquality(BinaryExpression equality)
    {
        bool negated = equality.NodeType == ExpressionType.NotEqual;
        if (!TryBindComparison(equality.Left, equality.Right, out PropertyModel? property, out object? value)
            && !TryBindComparison(equality.Right, equality.Left, out property, out value))
        {
            throw Unsupported(equality);
        }
        string path = PathOf(property, equality);

        if (value is null)
        {
            return new(negated ? Filter.Ne(path, FilterValue.Null) : Filter.Eq(path, FilterValue.Null));
        }
        if (VectLitePayloadCodec.TryGetElementType(property.Type, out _))
        {
            // r.Tags == array: whole-array equality (same length, equal elements in the same order), the meaning a
            // stored array can have; .NET's reference equality has none for a record read from storage.
            if (value is not IEnumerable elements || value is string)
            {
                throw Unsupported(equality, "an array or list property compares with an array or list value");
            }
            FilterValue array = ArrayOperand(elements, equality);
            return new(negated ? Filter.Ne(path, array) : Filter.Eq(path, array));
        }
        if (value is DateTime dateTime)
        {
            // .NET compares DateTime ticks and ignores the kind, so accept every stored kind suffix.
            FilterValue[] forms = VectLitePayloadCodec.DateTimeStoredForms(dateTime);
            return new(negated ? Filter.Nin(path, forms) : Filter.In(path, forms));
        }
        FilterValue operand = Operand(value, equality);
        return new(negated ? Filter.Ne(path, operand) : Filter.Eq(path, operand));
    }

    private Condition TranslateComparison(BinaryExpression comparison)
    {
        ExpressionType op = comparison.NodeType;
        if (!TryBindComparison(comparison.Left, comparison.Right, out PropertyModel? property, out object? value))
        {
            if (!TryBindComparison(comparison.Right, comparison.Left, out property, out value))
            {
                throw Unsupported(comparison);
            }
            // 5 < r.X is r.X > 5.
            op = op switch
            {
                ExpressionType.GreaterThan => ExpressionType.LessThan,
                ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
                ExpressionType.LessThan => ExpressionType.GreaterThan,
                _ => ExpressionType.GreaterThanOrEqual,
            };
        }
        string path = PathOf(property, comparison);

        if (value is null)
        {
            // A lifted comparison with null is false in C#.
            return Condition.Of(false);
        }

        FilterValue operand;
        if (value is DateTime dateTime)
        {
            // Stored DateTimes are the 27-character wall clock plus a kind suffix ("", "Z" or "+hh:mm"): compare on the
            // wall clock by choosing the smallest ("") or largest ("Z") form as the bound.
            bool upper = op is ExpressionType.GreaterThan or ExpressionType.LessThanOrEqual;
            operand = upper ? VectLitePayloadCodec.DateTimeUpperForm(dateTime) : VectLitePayloadCodec.DateTimeWallClock(dateTime);
        }
        else
        {
            operand = Operand(value, comparison);
            if (operand.Kind is not (FilterValueKind.Number or FilterValueKind.String))
            {
                throw Unsupported(comparison, $"values of type {value.GetType().Name} have no order");
            }
        }

        return new(op switch
        {
            ExpressionType.GreaterThan => Filter.Gt(path, operand),
            ExpressionType.GreaterThanOrEqual => Filter.Gte(path, operand),
            ExpressionType.LessThan => Filter.Lt(path, operand),
            _ => Filter.Lte(path, operand),
        });
    }

    private Condition TranslateMethodCall(MethodCallExpression call)
    {
        if (TryMatchContains(call, out Expression? source, out Expression? item))
        {
            return TranslateContains(call, source, item);
        }

        // r.Name.Contains("abc"): an ordinal substring test.
        if (call is { Method.Name: nameof(string.Contains), Object: { } target, Arguments: [var argument] }
            && call.Method.DeclaringType == typeof(string) && argument.Type == typeof(string)
            && TryBindProperty(target, out PropertyModel? text) && TryEvaluate(argument, out object? substring))
        {
            return substring is string s
                ? new(Filter.Contains(PathOf(text, call), s))
                : throw Unsupported(call, "the substring must not be null");
        }

        // r.Tags.Any(t => values.Contains(t)): some element is one of the values.
        if (call is { Method.Name: nameof(Enumerable.Any), Arguments: [var anySource, LambdaExpression { Body: MethodCallExpression body } predicate] }
            && call.Method.DeclaringType == typeof(Enumerable)
            && TryBindProperty(anySource, out PropertyModel? sequence)
            && TryMatchContains(body, out Expression? values, out Expression? element)
            && element == predicate.Parameters[0]
            && TryEvaluate(values, out object? evaluated) && evaluated is IEnumerable candidates)
        {
            return new(Filter.In(PathOf(sequence, call), Operands(candidates, call)));
        }

        throw Unsupported(call);
    }

    private Condition TranslateContains(MethodCallExpression call, Expression source, Expression item)
    {
        // r.Tags.Contains(v): the array property holds an element equal to v.
        if (TryBindProperty(source, out PropertyModel? sequence) && TryEvaluate(item, out object? value))
        {
            string path = PathOf(sequence, call);
            if (value is DateTime dateTime)
            {
                Filter[] any = [.. VectLitePayloadCodec.DateTimeStoredForms(dateTime).Select(form => Filter.Contains(path, form))];
                return new(Filter.Or(any));
            }
            return new(Filter.Contains(path, Operand(value, call)));
        }

        // values.Contains(r.X): X is one of the values.
        if (TryBindProperty(item, out PropertyModel? property) && TryEvaluate(source, out object? collection) && collection is IEnumerable candidates and not string)
        {
            return new(Filter.In(PathOf(property, call), Operands(candidates, call)));
        }

        throw Unsupported(call);
    }

    /// <summary>Binds <paramref name="propertySide"/> to a property and evaluates <paramref name="valueSide"/> to a value.</summary>
    private bool TryBindComparison(Expression propertySide, Expression valueSide, [NotNullWhen(true)] out PropertyModel? property, out object? value)
    {
        value = null;
        return TryBindProperty(propertySide, out property) && TryEvaluate(valueSide, out value);
    }

    private static FilterValue[] Operands(IEnumerable values, Expression node)
    {
        var operands = new List<FilterValue>();
        foreach (object? value in values)
        {
            if (value is DateTime dateTime)
            {
                operands.AddRange(VectLitePayloadCodec.DateTimeStoredForms(dateTime));
            }
            else
            {
                operands.Add(Operand(value, node));
            }
        }
        return [.. operands];
    }

    /// <summary>
    /// An array operand holding each element as it is stored. A <see cref="DateTime"/> element compares in its stored
    /// form, kind included (an array cannot accept every kind of every element the way a scalar comparison does).
    /// </summary>
    private static FilterValue ArrayOperand(IEnumerable elements, Expression node)
    {
        var items = new List<FilterValue>();
        foreach (object? element in elements)
        {
            items.Add(Operand(element, node));
        }
        return FilterValue.ArrayOf([.. items]);
    }

    private static FilterValue Operand(object? value, Expression node)
    {
        try
        {
            return VectLitePayloadCodec.ToFilterValue(value);
        }
        catch (NotSupportedException ex)
        {
            throw Unsupported(node, ex.Message);
        }
    }

    /// <summary>The payload field a filter on <paramref name="property"/> reads.</summary>
    private static string PathOf(PropertyModel property, Expression node)
    {
        if (property is VectorPropertyModel)
        {
            throw Unsupported(node, $"'{property.ModelName}' is a vector property; filters apply to key and data properties");
        }
        if (!VectLiteModelBuilder.IsFilterableStorageName(property.StorageName))
        {
            throw Unsupported(node, $"property '{property.ModelName}' is stored as '{property.StorageName}', which a VectLite filter cannot name (no '.', no leading '$')");
        }
        return property.StorageName;
    }

    /// <summary>
    /// Evaluates a sub-expression that does not read the record (a constant, a captured collection, <c>new[] { 1, 2 }</c>,
    /// <c>DateTime.Parse("...")</c>). The preprocessor has already inlined captured variables and member accesses.
    /// </summary>
    private static bool TryEvaluate(Expression expression, out object? value)
    {
        if (expression is ConstantExpression constant)
        {
            value = constant.Value;
            return true;
        }
        if (ParameterFinder.References(expression))
        {
            value = null;
            return false;
        }
        value = Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)();
        return true;
    }

    private static NotSupportedException Unsupported(Expression node, string? reason = null) =>
        new($"VectLite cannot translate the filter expression '{node}'{(reason is null ? "" : $": {reason}")}. "
            + "Supported: == != < <= > >= between a property and a value (== and != also between an array or list property and an array or list), "
            + "&& || !, bool properties, Contains on array or list properties "
            + "and on captured collections, Any(x => values.Contains(x)), string.Contains, null checks.");

    /// <summary>A translated sub-expression: an engine filter, or a constant when nothing of it depends on the record.</summary>
    private readonly record struct Condition(Filter? Filter, bool Constant = false)
    {
        public static Condition Of(bool constant) => new(null, constant);

        public static Condition And(Condition left, Condition right) =>
            left.Filter is null ? (left.Constant ? right : left)
            : right.Filter is null ? (right.Constant ? left : right)
            : new(left.Filter & right.Filter);

        public static Condition Or(Condition left, Condition right) =>
            left.Filter is null ? (left.Constant ? left : right)
            : right.Filter is null ? (right.Constant ? right : left)
            : new(left.Filter | right.Filter);

        public static Condition Not(Condition operand) =>
            operand.Filter is null ? Of(!operand.Constant) : new(VectLite.Filter.Not(operand.Filter));
    }

    /// <summary>Finds whether an expression reads any parameter (the record, or a nested lambda's own parameter).</summary>
    private sealed class ParameterFinder : ExpressionVisitor
    {
        private bool _found;

        public static bool References(Expression expression)
        {
            var finder = new ParameterFinder();
            finder.Visit(expression);
            return finder._found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found = true;
            return node;
        }
    }
}
