#!/usr/bin/env python3
"""Re-applies the issue-7 audit's deliberate breakages, one at a time, and checks that a test kills each.

Each mutant is a literal text replacement in src/ (every listed replacement must match exactly the stated number of
times, or the mutant is reported as STALE: the source moved and the anchor needs updating). For each mutant the
script applies it, builds the test project that guards it, runs the killing tests, and restores the file byte for
byte, whatever happens. A mutant is KILLED when that test run fails (build errors count as STALE, not killed).

Usage (from the repository root; slow work runs under nice):
    /usr/bin/python3 tests/mutants/audit_mutants.py            # every mutant
    /usr/bin/python3 tests/mutants/audit_mutants.py 4 11       # only these
    /usr/bin/python3 tests/mutants/audit_mutants.py --list     # print the table

Exit code 0 when every mutant run was killed. docs/testing.md lists the table and the last results.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = "tests/VectLite.Tests"
CONNECTOR = "tests/VectLite.VectorData.Tests"

# (id, breakage, [(file, old, new, expected count)], test project, test filter)
MUTANTS = [
    ("1", "Database.Compact does nothing",
     [("src/VectLite/Database.cs", "GetCollection(name).Compact(cancellationToken);", "_ = (name, cancellationToken);", 1)],
     ENGINE, "FullyQualifiedName~DatabaseCompactTests"),
    ("2", "DeleteByFilter ignores its namespace",
     [("src/VectLite/CollectionEngine.Write.cs", "return DeleteMatching(NamespaceScope.One(NormalizeNamespace(@namespace)), filter, cancellationToken);",
       "return DeleteMatching(NamespaceScope.All, filter, cancellationToken);", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests"),
    ("3", "Scroll ignores Namespace",
     [("src/VectLite/CollectionEngine.Read.cs", "in ScrollNamespaces(state.Namespaces, keys, scope, after))", "in ScrollNamespaces(state.Namespaces, keys, NamespaceScope.All, after))", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests"),
    ("4", "Scroll ignores IncludePayload",
     [("src/VectLite/CollectionEngine.Read.cs", "ToRecord(state, row, options.IncludeVectors, options.IncludePayload)", "ToRecord(state, row, options.IncludeVectors, true)", 1)],
     ENGINE, "FullyQualifiedName~ReadProjectionTests"),
    ("5", "GetMany(includePayload: false) ignored",
     [("src/VectLite/CollectionEngine.Read.cs", "records.Add(ToRecord(state, row, includeVectors, includePayload));", "records.Add(ToRecord(state, row, includeVectors, true));", 1)],
     ENGINE, "FullyQualifiedName~ReadProjectionTests"),
    ("6", "TombstoneRebuildPercent ignored (the default 30 used)",
     [("src/VectLite/Records/StateCompaction.cs", "int rebuildPercent = old.Schema.Hnsw.TombstoneRebuildPercent;", "int rebuildPercent = 30;", 1)],
     ENGINE, "FullyQualifiedName~HnswSettingsTests"),
    ("7", "MaxInsertThreads ignored (all cores used)",
     [("src/VectLite/Records/CollectionState.cs", "int threads = options.MaxInsertThreads > 0 ? options.MaxInsertThreads : Environment.ProcessorCount;",
       "int threads = Environment.ProcessorCount;", 1)],
     ENGINE, "FullyQualifiedName~HnswSettingsTests"),
    ("8", "ParallelInsertThreshold ignored (the default 1,000 used)",
     [("src/VectLite/Records/CollectionState.cs", "if (rows.Length >= options.ParallelInsertThreshold)", "if (rows.Length >= 1_000)", 1)],
     ENGINE, "FullyQualifiedName~HnswSettingsTests"),
    ("9", "a non-default MinIndexedVectors ignored (the default 128 used)",
     [("src/VectLite/Records/CollectionState.cs", "if (LiveRows < options.MinIndexedVectors)", "if (LiveRows < 128)", 1)],
     ENGINE, "FullyQualifiedName~HnswSettingsTests"),
    ("10", "SearchOptions.Ef ignored",
     [("src/VectLite/CollectionEngine.Search.cs", "SearchPlanner.ChooseEf(options.Ef ?? state.Schema.Hnsw.EfSearch,", "SearchPlanner.ChooseEf(state.Schema.Hnsw.EfSearch,", 1)],
     ENGINE, "FullyQualifiedName~SearchEfTests"),
    ("11", "cancellation ignored in Compact",
     [("src/VectLite/CollectionEngine.Checkpoint.cs", "cancellationToken.ThrowIfCancellationRequested();", "_ = cancellationToken;", 3),
      ("src/VectLite/CollectionEngine.Checkpoint.cs", "_checkpointGate.Wait(cancellationToken);", "_checkpointGate.Wait();", 1),
      ("src/VectLite/CollectionEngine.Checkpoint.cs", "image.Rows), cancellationToken);", "image.Rows), CancellationToken.None);", 1),
      ("src/VectLite/Records/StateCompaction.cs", "cancellationToken.ThrowIfCancellationRequested();", "_ = cancellationToken;", 2)],
     ENGINE, "FullyQualifiedName~CancellationTests|FullyQualifiedName~DatabaseCompactTests"),
    ("12", "cancellation ignored in UpsertBulk",
     [("src/VectLite/CollectionEngine.Write.cs", "cancellationToken.ThrowIfCancellationRequested();\n                        Commit(operations);", "_ = cancellationToken;\n                        Commit(operations);", 1)],
     ENGINE, "FullyQualifiedName~CancellationTests"),
    ("13", "the MEVD connector's Flat index no longer forced exact",
     [("src/VectLite.VectorData/VectLiteCollection.Search.cs", "Exact = vectorProperty.IndexKind == IndexKind.Flat,", "Exact = false,", 1)],
     CONNECTOR, "FullyQualifiedName~FlatIndexTests"),
    ("14a", ".dropped-* folders no longer removed (by DropCollection)",
     [("src/VectLite/DatabaseEngine.cs", "Storage.SyncDirectory(_collectionsPath);\n            TryDeleteDirectory(doomed);", "Storage.SyncDirectory(_collectionsPath);", 1)],
     ENGINE, "FullyQualifiedName~LeftoverCleanupTests"),
    ("14b", ".dropped-* folders no longer removed (at the next writer open)",
     [("src/VectLite/DatabaseEngine.cs", " || name.StartsWith(Database.DroppedPrefix, StringComparison.Ordinal)", "", 1)],
     ENGINE, "FullyQualifiedName~LeftoverCleanupTests"),
    ("15", "checkpoint.vlck.tmp no longer removed",
     [("src/VectLite/CollectionEngine.cs", "{ CheckpointManifest.FileName, WalFileName };",
       "{ CheckpointManifest.FileName, CheckpointManifest.FileName + DurableFile.TempSuffix, WalFileName };", 1)],
     ENGINE, "FullyQualifiedName~LeftoverCleanupTests"),
    # Breakages the strengthened weak tests must now catch (they passed the tests as they were before issue 7).
    ("W1", "a write batch is published operation by operation (readers can see half a batch)",
     [("src/VectLite/CollectionEngine.Write.cs", "                state.Apply(op, lsn);\n            }\n            state.Publish(lsn);",
       "                state.Apply(op, lsn);\n                state.Publish(lsn);\n            }\n            state.Publish(lsn);", 1)],
     ENGINE, "FullyQualifiedName~Engine.ConcurrencyTests.A_reader_while_the_writer_is_paused_inside_a_batch_sees_none_of_it"),
    ("W2", "a merge patch keeps keys set to null instead of removing them",
     [("src/VectLite/JsonMergePatch.cs", "target.Remove(key);", "target[key] = null;", 1)],
     ENGINE, "FullyQualifiedName~PersistenceModelTests"),
    ("W3", "the scalar distance loop drops the last element",
     [("src/VectLite/Vectors/VectorKernels.Reduce.cs", "for (nuint i = 0; i < length; i++)\n        {\n            acc = TOp.Invoke(",
       "for (nuint i = 0; i + 1 < length; i++)\n        {\n            acc = TOp.Invoke(", 1)],
     ENGINE, "FullyQualifiedName~BoundedScoreTests"),
    ("W4", "$eq matches the values it should not (an inverted filter, shared by Count and DeleteByFilter)",
     [("src/VectLite/Filtering/FieldCondition.cs", "FilterOperator.Eq or FilterOperator.In => (FilterOperator.Eq, false),",
       "FilterOperator.Eq or FilterOperator.In => (FilterOperator.Eq, true),", 1)],
     ENGINE, "FullyQualifiedName~RecordOperationTests.Delete_one_many_and_by_filter"),
    ("W5", "the planner walks the graph even for selective filters and small namespaces",
     [("src/VectLite/Search/SearchPlanner.cs", "        passRate = 1;\n        int rows = snapshot.RowCount;",
       "        passRate = 1;\n        if (snapshot.RowCount > 0)\n        {\n            return true;\n        }\n        int rows = snapshot.RowCount;", 1)],
     ENGINE, "FullyQualifiedName~PlannerExactPathTests"),
    ("W6", "a log frame that passes its checksum but does not decode is skipped instead of reported",
     [("src/VectLite/CollectionEngine.cs", "throw new CorruptFileException(walPath, offset, $\"batch {lsn} passed its checksum but does not decode",
       "if (lsn >= 0)\n                    {\n                        return;\n                    }\n                    throw new CorruptFileException(walPath, offset, $\"batch {lsn} passed its checksum but does not decode", 1)],
     ENGINE, "FullyQualifiedName~UndecodableLogFrameTests"),
    # Issue 8, "one meaning per word": a namespace of null is the default namespace in every call, spanning all is explicit.
    ("N1", "Search with no namespace spans all namespaces (the old meaning of null)",
     [("src/VectLite/CollectionEngine.Search.cs", "return ScopeOf(options.Namespace, options.AllNamespaces, nameof(SearchOptions));",
       "return options.Namespace is null ? NamespaceScope.All : ScopeOf(options.Namespace, options.AllNamespaces, nameof(SearchOptions));", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests.Search_"),
    ("N2", "Scroll with no namespace spans all namespaces",
     [("src/VectLite/CollectionEngine.Read.cs", "NamespaceScope scope = ScopeOf(options.Namespace, options.AllNamespaces, nameof(ScrollOptions));",
       "NamespaceScope scope = options.Namespace is null ? NamespaceScope.All : ScopeOf(options.Namespace, options.AllNamespaces, nameof(ScrollOptions));", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests.Scroll_"),
    ("N3", "Count with no namespace counts all namespaces",
     [("src/VectLite/CollectionEngine.Read.cs", "CountIn(NamespaceScope.One(NormalizeNamespace(@namespace)), filter);",
       "CountIn(@namespace is null ? NamespaceScope.All : NamespaceScope.One(NormalizeNamespace(@namespace)), filter);", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests.Count_"),
    ("N4", "DeleteByFilter with no namespace deletes in all namespaces",
     [("src/VectLite/CollectionEngine.Write.cs", "return DeleteMatching(NamespaceScope.One(NormalizeNamespace(@namespace)), filter, cancellationToken);",
       "return DeleteMatching(@namespace is null ? NamespaceScope.All : NamespaceScope.One(NormalizeNamespace(@namespace)), filter, cancellationToken);", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests.DeleteByFilter_without"),
    ("N5", "a namespace together with AllNamespaces is not refused (all namespaces win)",
     [("src/VectLite/CollectionEngine.Read.cs", "        if (@namespace is not null)\n        {\n            throw new ArgumentException(",
       "        if (@namespace is not null && @namespace.Length > 100_000)\n        {\n            throw new ArgumentException(", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests"),
    ("N6", "a scroll cursor is not checked against the scroll's scope",
     [("src/VectLite/CollectionEngine.Read.cs", "        if (tag == AllNamespacesCursor && !scope.IsAll)", "        if (tag == AllNamespacesCursor && !scope.IsAll && tag == 0)", 1),
      ("src/VectLite/CollectionEngine.Read.cs", "        if (tag == OneNamespaceCursor && (scope.IsAll ||", "        if (tag == 0 && (scope.IsAll ||", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests.A_scroll_cursor"),
    ("N7", "the no-namespace-test shortcut taken when a second namespace exists",
     [("src/VectLite/Records/NamespaceScope.cs", "if (table.Count == 1)", "if (table.Count <= 2)", 1)],
     ENGINE, "FullyQualifiedName~Engine.NamespaceScopeTests.A_tenant_record"),
    # Issue 8: search-time HNSW settings are not schema.
    ("S1", "GetOrCreateCollection compares runtime settings too (EfSearch in code blocks the open)",
     [("src/VectLite/DatabaseEngine.cs", "if (SchemaDifferences.Structural(stored, schema) is { Count: > 0 } differences)",
       "if (SchemaDifferences.Structural(stored, schema).Concat(SchemaDifferences.RuntimeHnsw(stored.Hnsw, schema.Hnsw)).ToList() is { Count: > 0 } differences)", 1)],
     ENGINE, "FullyQualifiedName~SchemaOptionsTests"),
    ("S2", "UpdateOptions changes the live settings but does not store them",
     [("src/VectLite/CollectionEngine.Options.cs", "            }.WriteAtomic(_database.Storage, Directory);", "            }.Serialize();", 1)],
     ENGINE, "FullyQualifiedName~SchemaOptionsTests.UpdateOptions_persists"),
    ("S3", "UpdateOptions stores the settings but the live collection keeps the old ones",
     [("src/VectLite/CollectionEngine.Options.cs", "            state.Schema = updated;", "            _ = updated;", 1)],
     ENGINE, "FullyQualifiedName~SchemaOptionsTests.UpdateOptions_EfSearch"),
    ("S4", "WithHnsw changes the schema it is called on (the old mutable setter)",
     [("src/VectLite/CollectionSchema.cs", "    public HnswOptions Hnsw { get; }", "    public HnswOptions Hnsw { get; private set; }", 1),
      ("src/VectLite/CollectionSchema.cs", "        return new CollectionSchema(_vectors, options);", "        Hnsw = options;\n        return this;", 1)],
     ENGINE, "FullyQualifiedName~SchemaOptionsTests.WithHnsw_and_AddVector"),
    ("S5", "UpdateOptions lets a structural setting through",
     [("src/VectLite/CollectionEngine.Options.cs", "            if (structural.Count > 0)", "            if (structural.Count > 2)", 1)],
     ENGINE, "FullyQualifiedName~SchemaOptionsTests.UpdateOptions_refuses"),
    ("S6", "UpdateOptions does not wait for a running checkpoint (its manifest rewrite races the checkpoint's commit)",
     [("src/VectLite/CollectionEngine.Options.cs", "        _checkpointGate.Wait(cancellationToken);\n        try\n        {\n            UpdateOptionsCore(options);\n        }\n        finally\n        {\n            _checkpointGate.Release();\n        }",
       "        UpdateOptionsCore(options);", 1)],
     ENGINE, "FullyQualifiedName~SchemaOptionsTests.UpdateOptions_beside_a_running_checkpoint"),
    ("W7", "a read-only database reloads a collection on every GetCollection (sees writes made after its open)",
     [("src/VectLite/DatabaseEngine.cs", "            collection = CollectionEngine.Open(this, name, path, IsReadOnly, cancellationToken);\n            _open[name] = collection;",
       "            collection = CollectionEngine.Open(this, name, path, IsReadOnly, cancellationToken);\n            if (!IsReadOnly)\n            {\n                _open[name] = collection;\n            }", 1)],
     ENGINE, "FullyQualifiedName~ReadOnlySnapshotTests"),
    # Vectors read back as written (issue 8): cosine vectors are stored raw, queries normalised, graphs compare cosines.
    ("C1", "cosine vectors normalised on write again (they read back changed)",
     [("src/VectLite/CollectionEngine.Write.cs", "        ValidateVector(spec, copy);\n        return copy;",
       "        ValidateVector(spec, copy);\n        if (spec.Metric == Metric.Cosine)\n        {\n            VectorKernels.TryNormalize(copy);\n        }\n        return copy;", 1)],
     ENGINE, "FullyQualifiedName~VectorRoundTripTests|FullyQualifiedName~UnitVectorDatabaseTests"),
    ("C2", "the MEVD connector reads cosine vectors back normalised (C1 seen through the connector)",
     [("src/VectLite/CollectionEngine.Write.cs", "        ValidateVector(spec, copy);\n        return copy;",
       "        ValidateVector(spec, copy);\n        if (spec.Metric == Metric.Cosine)\n        {\n            VectorKernels.TryNormalize(copy);\n        }\n        return copy;", 1)],
     CONNECTOR, "FullyQualifiedName~VectorRoundTripTests"),
    ("C3", "a cosine search query is not normalised (scores scale with its length)",
     [("src/VectLite/CollectionEngine.Search.cs", "bool normalized = VectorKernels.TryNormalize(q);", "bool normalized = q.Length > 0;", 1)],
     ENGINE, "FullyQualifiedName~VectorRoundTripTests|FullyQualifiedName~UnitVectorDatabaseTests"),
    ("C4", "the HNSW neighbour heuristic compares cosine vectors by their raw dot product",
     [("src/VectLite/Vectors/CosineScorer.cs", "VectorKernels.CosineToUnit(first, second) * firstFactor :", "VectorKernels.Dot(first, second) :", 1)],
     ENGINE, "FullyQualifiedName~HnswCosineRawVectorTests"),
    ("C5", "an HNSW insert searches with its stored (not unit) cosine vector",
     [("src/VectLite/Indexing/HnswGraph.Insert.cs", "ReadOnlySpan<float> vector = AsQuery<TScorer>(view.VectorSpan(row), context.UnitQuery(view.Dimension));",
       "ReadOnlySpan<float> vector = view.VectorSpan(row);", 1)],
     ENGINE, "FullyQualifiedName~HnswCosineRawVectorTests"),
    # Issue 8, the API items: whole-array equality, the overloads, search by id, batch search.
    ("A1", "an array operand is never compared with a whole array (only with its elements)",
     [("src/VectLite/Filtering/FieldCondition.cs", "if (_itemUtf8 is not null && _test == FilterOperator.Eq && TestScalar(value))",
       "if (false && _itemUtf8 is not null && _test == FilterOperator.Eq && TestScalar(value))", 1)],
     ENGINE, "FullyQualifiedName~ArrayEqualityTests"),
    ("A2", "the LINQ translator turns r.Tags == array into membership ($in) instead of whole-array equality",
     [("src/VectLite.VectorData/VectLiteFilterTranslator.cs", "return new(negated ? Filter.Ne(path, array) : Filter.Eq(path, array));",
       "return new(negated ? Filter.Nin(path, [.. array.ArrayValue]) : Filter.In(path, [.. array.ArrayValue]));", 1)],
     CONNECTOR, "FullyQualifiedName~FilterTests|FullyQualifiedName~FilterTranslatorTests"),
    ("A3", "instants are stored with their own offset (not UTC), so they do not sort by time",
     [("src/VectLite/SortableDateTime.cs", "value.ToUniversalTime().ToString(\"O\"", "value.ToString(\"O\"", 1)],
     ENGINE, "FullyQualifiedName~DateTimeOffsetPayloadTests"),
    ("A4", "Search(ReadOnlyMemory<float>) drops its options",
     [("src/VectLite/Collection.cs", "=> Usable().Search(query.Span, options);", "=> Usable().Search(query.Span, null);", 1)],
     ENGINE, "FullyQualifiedName~SearchOverloadTests"),
    ("A5", "search by id gathers no extra candidate for the excluded record (one hit short)",
     [("src/VectLite/CollectionEngine.Search.cs", "int wanted = options.TopK + options.Offset + (excludedRow >= 0 ? 1 : 0);", "int wanted = options.TopK + options.Offset;", 1)],
     ENGINE, "FullyQualifiedName~SearchByIdTests"),
    ("A6", "search by id of a missing record returns an empty list",
     [("src/VectLite/CollectionEngine.Search.cs", "                throw new RecordNotFoundException(id, ns);", "                return [];", 1)],
     ENGINE, "FullyQualifiedName~SearchByIdTests"),
    ("A7", "batch search runs its queries one after another",
     [("src/VectLite/CollectionEngine.Search.cs", "Parallel.For(0, queries.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>\n            {",
       "for (int i = 0; i < queries.Count; i++)\n            {\n                cancellationToken.ThrowIfCancellationRequested();", 1),
      ("src/VectLite/CollectionEngine.Search.cs", "excludedRow: -1);\n            });", "excludedRow: -1);\n            }", 1)],
     ENGINE, "FullyQualifiedName~SearchBatchTests.Graph_batch_results_equal_one_by_one_searches_and_the_queries_overlap"),
    ("A8", "batch search reads the latest snapshot per query",
     [("src/VectLite/CollectionEngine.Search.cs", "results[i] = SearchIn(state, snapshot, now, ordinal,", "results[i] = SearchIn(state, state.Published, DateTime.UtcNow.Ticks, ordinal,", 1)],
     ENGINE, "FullyQualifiedName~SearchBatchTests.Every_query_sees_the_snapshot"),
    ("A9", "batch search ignores its cancellation token",
     [("src/VectLite/CollectionEngine.Search.cs", "new ParallelOptions { CancellationToken = cancellationToken }", "new ParallelOptions()", 1)],
     ENGINE, "FullyQualifiedName~SearchBatchTests.Cancellation_stops_the_batch"),
    # Issue 8, scroll by cursor and online backup.
    ("S1", "a scroll page resumes at the cursor's id instead of after it",
     [("src/VectLite/Records/IdRun.cs", "if (run[mid].CompareTo(key) <= 0)", "if (run[mid].CompareTo(key) < 0)", 1)],
     ENGINE, "FullyQualifiedName~ScrollCursorTests|FullyQualifiedName~OrderedKeyIndexTests"),
    ("S2", "the scroll index's runs are never merged (one run per extension)",
     [("src/VectLite/Records/OrderedKeyIndex.cs", "while (list.Count >= 2 && list[^2].Length <= 2L * list[^1].Length)", "while (list.Count < 0)", 1)],
     ENGINE, "FullyQualifiedName~OrderedKeyIndexTests"),
    ("S3", "scroll keys resolved without the snapshot (deleted records listed)",
     [("src/VectLite/CollectionEngine.Read.cs", "int row = state.FindVisibleRow(new RecordKey(namespaceId, id), snapshot, now);",
       "int row = state.FindVisibleRow(new RecordKey(namespaceId, id), new Snapshot(long.MaxValue - 1, snapshot.RowCount, false, anyDeleted: false), now);", 1)],
     ENGINE, "FullyQualifiedName~ScrollCursorTests"),
    ("B1", "a backup does not hold the checkpoint gates",
     [("src/VectLite/CollectionEngine.Backup.cs", "        _checkpointGate.Wait(cancellationToken);\n    }", "        cancellationToken.ThrowIfCancellationRequested();\n    }", 1),
      ("src/VectLite/CollectionEngine.Backup.cs", "internal void LeaveBackup() => _checkpointGate.Release();", "internal void LeaveBackup() { }", 1)],
     ENGINE, "FullyQualifiedName~BackupTests"),
    ("B2", "a backup copies each log to its length at copy time, not at the consistent point",
     [("src/VectLite/DatabaseBackup.cs", "Path.Combine(directory, CollectionEngine.WalFileName), point.WalLength, cancellationToken);",
       "Path.Combine(directory, CollectionEngine.WalFileName), new FileInfo(Path.Combine(point.Directory, CollectionEngine.WalFileName)).Length, cancellationToken);", 1)],
     ENGINE, "FullyQualifiedName~BackupTests"),
    # Issue 10: sparse vectors and multi-vector spaces (tests/VectLite.Tests/Sparse).
    ("SP1", "sparse vectors not logged (every upsert written as type 1)",
     [("src/VectLite/Storage/WalBatchCodec.cs", "bool sparse = op.Type == WalOperationType.Upsert && op.Record!.HasExtendedSpaces;", "bool sparse = false;", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseRoundTripTests"),
    ("SP2", "sparse vectors not written to the records file",
     [("src/VectLite/Records/CollectionFiles.cs", "sparse[s] = state.Sparse[s].Vector(row);", "sparse[s] = null;", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseRoundTripTests"),
    ("SP3", "MaxScore prunes with the bounds of the terms still to look up minus the current one",
     [("src/VectLite/Indexing/Sparse/SparseSearch.cs", "if (score + prefix[i] < threshold)", "if (score + (i > 0 ? prefix[i - 1] : 0) < threshold)", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseSearchTests.Top_k"),
    ("SP4", "sparse search ignores the row filter (deleted, expired, other namespaces, payload filter)",
     [("src/VectLite/Indexing/Sparse/SparseSearch.cs", "&& filter.Accept(row))", "&& (filter.Accept(row) || true))", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseSearchTests.Deletes"),
    ("SP5", "IDF document frequencies not lowered on delete",
     [("src/VectLite/Records/CollectionState.cs", "            index.RowDeleted(row);\n", "", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseSearchTests.The_idf"),
    ("SP6", "IDF without Qdrant's + 1",
     [("src/VectLite/Indexing/Sparse/SparseVectorIndex.cs", "Math.Log(1.0 + ((total - n + 0.5) / (n + 0.5)))", "Math.Log((total - n + 0.5) / (n + 0.5))", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseSearchTests.The_idf"),
    ("SP7", "duplicate sparse indices accepted",
     [("src/VectLite/CollectionEngine.Write.cs", "if (sorted[i] == sorted[i - 1])", "if (sorted[i] == sorted[i - 1] && sorted.Length < 0)", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseValidationTests"),
    ("SP8", "a sparse query is not validated",
     [("src/VectLite/CollectionEngine.SparseSearch.cs", "ValidateSparseVector(state.Schema.SparseVectors[ordinal], query);", "", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseValidationTests"),
    ("SP9", "a payload update drops the record's sparse vectors",
     [("src/VectLite/Records/CollectionState.cs", "vectors is null ? Sparse[i].Vector(copyVectorsFrom) :", "vectors is null ? null :", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseRoundTripTests"),
    ("SP10", "the IDF modifier not read back from the manifest",
     [("src/VectLite/Storage/CheckpointManifest.cs", 'Enum.Parse<SparseModifier>(v.GetProperty("modifier").GetString()!)', "SparseModifier.None", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseRoundTripTests"),
    ("SP11", "every manifest written as version 2 (dense-only collections no longer readable by older builds)",
     [("src/VectLite/Storage/CheckpointManifest.cs", "Schema.HasExtendedSpaces ? FileMagic.SparseVersion : FileMagic.CurrentVersion", "FileMagic.SparseVersion", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseRoundTripTests"),
    ("SP12", "a sparse prefetch runs as a dense one",
     [("src/VectLite/CollectionEngine.Query.cs", "bool sparse = p.SparseQuery is not null;", "bool sparse = p.SparseQuery is null && p.Limit < 0;", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseSearchTests.A_sparse_prefetch"),
    ("SP13", "verify refuses version 2 records files",
     [("src/VectLite/Verification/DataFileVerifier.cs", "if (version != FileMagic.CurrentVersion && !(magic == FileMagic.Records && version == FileMagic.SparseVersion))", "if (version != FileMagic.CurrentVersion)", 1)],
     ENGINE, "FullyQualifiedName~Sparse.SparseRoundTripTests"),
    ("MV1", "multi-vector candidates not taken from the token graph",
     [("src/VectLite/CollectionEngine.MultiVectorSearch.cs", "index.Graph.Search(q, perToken, ef, ref filter, heap);", "", 1)],
     ENGINE, "FullyQualifiedName~Sparse.MultiVectorTests"),
    ("MV2", "MaxSim takes each query token's first document token, not its best",
     [("src/VectLite/CollectionEngine.MultiVectorSearch.cs", "best = Math.Max(best, s);", "best = double.IsNegativeInfinity(best) ? s : best;", 1)],
     ENGINE, "FullyQualifiedName~Sparse.MultiVectorTests"),
    ("MV3", "multi-vector search always scans every record",
     [("src/VectLite/CollectionEngine.MultiVectorSearch.cs", "IEnumerable<int> candidates = options.Exact", "IEnumerable<int> candidates = options.Exact || options.TopK > 0", 1)],
     ENGINE, "FullyQualifiedName~Sparse.MultiVectorTests"),
    ("MV4", "multi-vectors not written to the records file",
     [("src/VectLite/Records/CollectionFiles.cs", "multi[m] = state.Multi[m].Tokens(row);", "multi[m] = null;", 1)],
     ENGINE, "FullyQualifiedName~Sparse.MultiVectorTests"),
    ("MV5", "the token graph ignores the row filter (deleted records, other namespaces)",
     [("src/VectLite/CollectionEngine.MultiVectorSearch.cs", "public bool Accept(int token) => Inner.Accept(index.RowOf(token));", "public bool Accept(int token) => Inner.Accept(index.RowOf(token)) || true;", 1)],
     ENGINE, "FullyQualifiedName~Sparse.MultiVectorTests"),
    ("D1", "deferred indexing: the not-yet-indexed tail is not scanned",
     [("src/VectLite/CollectionEngine.Search.cs", "                    ScanTail<TScorer>(arena, query, plan.IndexedRows, rowCount, ref filter, heap);", "", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.A_search_during"),
    ("D2", "deferred indexing: the graph walk may return tail rows too (duplicates)",
     [("src/VectLite/Records/VisibleRowFilter.cs", "        if (row >= _indexedBelow)\n        {\n            return false;\n        }\n", "", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.A_search_during"),
    ("D3", "deferred indexing: queued rows deleted before their pass are indexed anyway",
     [("src/VectLite/Records/CollectionState.cs", "if (Volatile.Read(ref _deletedAt[row]) > deadAtOrBefore && !HoldsRow(ordinal, graph, row))", "if (!HoldsRow(ordinal, graph, row))", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.Deleted_and"),
    ("D4", "a checkpoint graph covering part of the rows is rejected by the loader (rebuilt)",
     [("src/VectLite/Records/CollectionFiles.cs", "if (graph.Count - graph.DeadCount > rows)", "if (graph.Count - graph.DeadCount != rows)", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.A_reopen"),
    ("D5", "a checkpoint graph covering part of the rows is reported as damage by Verify",
     [("src/VectLite/Verification/GraphFileVerifier.cs", "if (graph.Count - graph.DeadCount > rows)", "if (graph.Count - graph.DeadCount != rows)", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.A_reopen"),
    ("D6", "a loaded partial graph is taken as covering every row (the rest never indexed)",
     [("src/VectLite/Records/CollectionState.cs", "_indexedUpTo = _anyGraphSet ? Math.Min(_indexedUpTo, covered) : covered;", "_indexedUpTo = _anyGraphSet ? indexedRows : indexedRows + (covered - covered);", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.A_reopen"),
    ("D7", "DeferredMaxLag ignored",
     [("src/VectLite/CollectionEngine.Write.cs", "        WaitForIndexerRoom(_state); // before the log: a wait that fails leaves the batch unwritten\n", "", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.DeferredMaxLag"),
    ("D8", "switching to immediate leaves the queue unindexed",
     [("src/VectLite/CollectionEngine.Options.cs", "if (options.MinIndexedVectors < current.Hnsw.MinIndexedVectors || leftDeferred)", "if (options.MinIndexedVectors < current.Hnsw.MinIndexedVectors || (leftDeferred && !leftDeferred))", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.Switching"),
    ("D9", "the deferred settings are not written to the manifest",
     [("src/VectLite/Storage/CheckpointManifest.cs", "if (h.Indexing != IndexingMode.Immediate || h.DeferredBatchSize != 1_000 || h.DeferredMaxLag != 0)", "if (h.Indexing != IndexingMode.Immediate && false)", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.A_reopen"),
    ("D10", "a read-only open leaves the queued rows out of the graph",
     [("src/VectLite/CollectionEngine.cs", "                state.IndexPendingRows();\n                state.Publish(result.LastLsn);\n", "", 1)],
     ENGINE, "FullyQualifiedName~DeferredIndexingTests.A_reopen"),
    # Issue 11, per-row memory: the key table of row numbers, the 40-byte row metadata, the sparse row columns.
    ("R1", "the key table skips every other slot while probing",
     [("src/VectLite/Records/RowKeyTable.cs", "for (int i = Home(key, mask); ; i = (i + 1) & mask)", "for (int i = Home(key, mask); ; i = (i + 2) & mask)", 1)],
     ENGINE, "FullyQualifiedName~RowKeyTableTests|FullyQualifiedName~CollectionStateKeyTests"),
    ("R2", "the key table publishes a grown table before filling it",
     [("src/VectLite/Records/RowKeyTable.cs", "        var grown = new int[length];\n", "        var grown = new int[length];\n        Volatile.Write(ref _slots, grown);\n", 1)],
     ENGINE, "FullyQualifiedName~RowKeyTableTests.Readers_find_every_published_key"),
    ("R3", "replacing a key's row adds a second slot instead",
     [("src/VectLite/Records/RowKeyTable.cs", "            if (Holds(value - 1, key))\n            {\n                Volatile.Write(ref slots[i], row + 1);",
       "            if (Holds(value - 1, key) && row < 0)\n            {\n                Volatile.Write(ref slots[i], row + 1);", 1)],
     ENGINE, "FullyQualifiedName~RowKeyTableTests|FullyQualifiedName~CollectionStateKeyTests"),
    ("R4", "the key map keeps a replaced key's older row",
     [("src/VectLite/Records/CollectionState.cs", "        _keys.Set(key, row); // after the row is complete: a reader that finds it can read all of it\n",
       "        _keys.Set(key, row); // after the row is complete: a reader that finds it can read all of it\n        _keys.Set(key, previous >= 0 ? previous : row);\n", 1)],
     ENGINE, "FullyQualifiedName~CollectionStateKeyTests"),
    ("R5", "the row metadata grows a field of its own (40 bytes)",
     [("src/VectLite/Records/RowMeta.cs", "    public JsonElement Payload;\n", "    public JsonElement Payload;\n\n    public bool Spare;\n", 1),
      ("src/VectLite/Records/CollectionState.cs", "new RowMeta { Id = key.Id, Payload = payload };", "new RowMeta { Id = key.Id, Payload = payload, Spare = false };", 1)],
     ENGINE, "FullyQualifiedName~RowMetaTests|FullyQualifiedName~MemoryStatsTests"),
    ("R6", "the row lists allocate by doubling",
     [("src/VectLite/Records/ChunkedList.cs", "        T[][] chunks = _chunks;\n        if (needed > chunks.Length)", "        needed = Math.Max(needed, _allocated * 2);\n        T[][] chunks = _chunks;\n        if (needed > chunks.Length)", 1)],
     ENGINE, "FullyQualifiedName~ChunkedListTests|FullyQualifiedName~MemoryStatsTests"),
    ("R7", "a deletion-mark chunk is not filled with Live",
     [("src/VectLite/Records/SparseColumn.cs", "        if (!Default.Equals(default))", "        if (Default.Equals(default))", 1)],
     ENGINE, "FullyQualifiedName~SparseColumnTests"),
    ("R8", "a row's expiry is not stored",
     [("src/VectLite/Records/CollectionState.cs", "        _expiresAt.Set(row, expiresAtTicks);\n", "", 1)],
     ENGINE, "FullyQualifiedName~RecordOperationTests.Ttl|FullyQualifiedName~RecordOperationTests.Expired|FullyQualifiedName~MemoryStatsTests"),
    ("R9", "the stats leave out the deletion marks",
     [("src/VectLite/Records/CollectionState.cs", "+ _deletedAt.MemoryBytes + _expiresAt.MemoryBytes", "+ _expiresAt.MemoryBytes", 1)],
     ENGINE, "FullyQualifiedName~MemoryStatsTests"),
    # Issue 11, second pass: codes in exactly sized chunks, namespace and previous row in sparse columns, no lone namespace list.
    ("M1", "a reserved code store's last chunk is a whole chunk",
     [("src/VectLite/Quantization/CodeStore.cs", "int chunkRows = i < whole ? _mask + 1 : rest;", "int chunkRows = _mask + 1;", 1)],
     ENGINE, "FullyQualifiedName~CodeStoreTests|FullyQualifiedName~QuantizedPersistenceTests"),
    ("M2", "code store growth allocates a chunk for every directory slot",
     [("src/VectLite/Quantization/CodeStore.cs", "        for (int i = _allocated; i <= last; i++)\n", "        last = Math.Max(last, chunks.Length - 1);\n        for (int i = _allocated; i <= last; i++)\n", 1)],
     ENGINE, "FullyQualifiedName~CodeStoreTests"),
    ("M3", "widening a short code chunk does not copy its rows",
     [("src/VectLite/Quantization/CodeStore.cs", "        old.CopyTo(whole, 0);\n", "\n", 1)],
     ENGINE, "FullyQualifiedName~CodeStoreTests|FullyQualifiedName~QuantizedPersistenceTests"),
    ("M4", "the default namespace's rows are not listed when a second namespace appears",
     [("src/VectLite/Records/CollectionState.cs", "                all.Add(row);", "", 1)],
     ENGINE, "FullyQualifiedName~NamespaceScopeTests|FullyQualifiedName~MemoryStatsTests"),
    ("M5", "the shares-vectors flag is not stored with the previous row",
     [("src/VectLite/Records/CollectionState.cs", "return sharesVectors ? -previous - 2 : previous;", "return previous;", 1)],
     ENGINE, "FullyQualifiedName~RowMetaTests|FullyQualifiedName~CollectionStateKeyTests"),
    # Issue 9: the planner prices its paths from the costs the searches measured (Search/SearchCostModel.cs).
    ("PL1", "the planner ignores the measured cost of a graph distance (the constant 2.4 always)",
     [("src/VectLite/Search/SearchCostModel.cs", "            return (walk / scan, true);", "            return (SearchPlanner.GraphDistanceCost, false);", 1)],
     ENGINE, "FullyQualifiedName~SearchCostModelTests"),
    ("PL2", "the planner ignores the measured distance ratio of a walk",
     [("src/VectLite/Search/SearchCostModel.cs", "return cell.Count >= MinObservations ? (Math.Exp(cell.LogRatio), true) : (1, false);", "return (1, false);", 1)],
     ENGINE, "FullyQualifiedName~SearchCostModelTests"),
    ("PL3", "searches never record what they cost",
     [("src/VectLite/Search/SearchCostModel.cs", "        int count = cell.Count;\n        if (count == 0)", "        int count = cell.Count;\n        if (count >= 0)\n        {\n            return;\n        }\n        if (count == 0)", 1)],
     ENGINE, "FullyQualifiedName~SearchCostModelTests"),
    ("PL4", "a walk that fell back to the scan is recorded as if the scan cost nothing",
     [("src/VectLite/Search/SearchCostModel.cs", "double effective = distances * (1 + ((double)Math.Max(0, fallbackTicks) / walkTicks));", "double effective = distances;", 1)],
     ENGINE, "FullyQualifiedName~SearchCostModelTests"),
    ("PL5", "a checkpoint sends the planner back to its defaults (the measured costs are not carried over)",
     [("src/VectLite/Records/StateCompaction.cs", "        fresh.CarryCostModelsFrom(old);\n", "", 1)],
     ENGINE, "FullyQualifiedName~SearchCostModelTests"),
]


def run(args, log):
    with open(log, "w", encoding="utf-8") as out:
        return subprocess.run(["nice", "-n", "19", *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode


def try_mutant(mid, what, edits, project, test_filter):
    originals = {}
    try:
        for file, old, new, count in edits:
            path = ROOT / file
            if file not in originals:
                originals[file] = path.read_bytes()
            text = path.read_text(encoding="utf-8")
            found = text.count(old)
            if found != count:
                return "STALE", f"{file}: anchor found {found} times, expected {count}"
            path.write_text(text.replace(old, new), encoding="utf-8")
        log = f"/tmp/vectlite-mutant-{mid}"
        if run(["dotnet", "build", project, "-v", "q", "-nologo"], log + "-build.log") != 0:
            return "STALE", f"the mutant does not build (see {log}-build.log)"
        code = run(["dotnet", "test", project, "--no-build", "--filter", test_filter], log + "-test.log")
        return ("KILLED" if code != 0 else "SURVIVED"), f"{project} --filter \"{test_filter}\" (log {log}-test.log)"
    finally:
        for file, content in originals.items():
            (ROOT / file).write_bytes(content)


def main():
    args = sys.argv[1:]
    if args == ["--list"]:
        for mid, what, _, project, test_filter in MUTANTS:
            print(f"{mid:>4}  {what}  ->  {project} --filter \"{test_filter}\"")
        return 0
    chosen = [m for m in MUTANTS if not args or m[0] in args]
    failures = 0
    for mid, what, edits, project, test_filter in chosen:
        verdict, detail = try_mutant(mid, what, edits, project, test_filter)
        failures += verdict != "KILLED"
        print(f"{mid:>4} {verdict:8} {what}: {detail}", flush=True)
    # Leave the tree built from the restored sources.
    run(["dotnet", "build", ENGINE, "-v", "q", "-nologo"], "/tmp/vectlite-mutant-restore-build.log")
    run(["dotnet", "build", CONNECTOR, "-v", "q", "-nologo"], "/tmp/vectlite-mutant-restore-build.log")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
