"""Spark word count: ``spark-submit wordcount.py <input> <output>``.

Reads text from ``<input>`` (an S3 object or prefix), counts each lower-cased word and
writes ``word,count`` CSV files to ``<output>``, replacing an earlier result.
"""

import re
import sys

from pyspark.sql import SparkSession


def main(source: str, target: str) -> None:
    spark = SparkSession.builder.appName("wordcount").getOrCreate()
    lines = spark.sparkContext.textFile(source)
    counts = (
        lines.flatMap(lambda line: re.findall(r"[a-z0-9']+", line.lower()))
        .map(lambda word: (word, 1))
        .reduceByKey(lambda a, b: a + b)
    )
    frame = spark.createDataFrame(counts, ["word", "count"]).orderBy("count", ascending=False)
    frame.write.mode("overwrite").option("header", True).csv(target)
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: wordcount.py <input> <output>")
    main(sys.argv[1], sys.argv[2])
