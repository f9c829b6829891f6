"""Evaluate: measured quality against human references and the tools people use.

ROUGE with Google's rouge-score under the published protocols, baselines
run in the same process on the same clusters, paired bootstrap confidence
intervals, and article-extraction scores on the Article Extraction
Benchmark's metric.
"""
