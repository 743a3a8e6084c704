"""The published limits the planners use, each with the AWS page that states it.

``confirmed=False``: the page is where AWS publishes the figure, but the figure could not be
read in a stored copy of it when this table was written (2026-12-01): check it before relying
on it. Figures are the defaults of us-east-1 where they differ by region.
"""

from __future__ import annotations

from patterns.capacity.plan import Source

_DDB = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide"
_LAMBDA = "https://docs.aws.amazon.com/lambda/latest/dg"
_SQS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide"

DYNAMODB_READ_UNIT = Source(
    "DynamoDB: a strongly consistent read of up to 4 KB = 1 read unit, eventually consistent "
    "= 1/2, transactional = 2; item sizes rounded up to the next 4 KB",
    f"{_DDB}/read-write-operations.html",
)
DYNAMODB_WRITE_UNIT = Source(
    "DynamoDB: a write of up to 1 KB = 1 write unit, transactional = 2; sizes rounded up to "
    "the next 1 KB",
    f"{_DDB}/read-write-operations.html",
)
DYNAMODB_ITEM_SIZE = Source(
    "DynamoDB: largest item 400 KB", f"{_DDB}/ServiceQuotas.html", confirmed=False
)
DYNAMODB_TABLE_QUOTA = Source(
    "DynamoDB: 40,000 read and 40,000 write capacity units per table (default quota)",
    f"{_DDB}/ServiceQuotas.html",
    confirmed=False,
)
DYNAMODB_PARTITION = Source(
    "DynamoDB: one partition serves 3,000 RCU and 1,000 WCU and holds 10 GB",
    f"{_DDB}/bp-partition-key-design.html",
    confirmed=False,
)
DYNAMODB_GSI_READS = Source(
    "DynamoDB: global secondary indexes support eventually consistent reads only",
    f"{_DDB}/GSI.html",
    confirmed=False,
)

LAMBDA_CONCURRENCY = Source(
    "Lambda: concurrency = requests/s x average duration (s); 1,000 concurrent executions "
    "per account and Region by default",
    f"{_LAMBDA}/lambda-concurrency.html",
)
LAMBDA_REQUEST_RATE = Source(
    "Lambda: requests/s limited to 10 x the account concurrency",
    f"{_LAMBDA}/lambda-concurrency.html",
    confirmed=False,
)
LAMBDA_SCALING_RATE = Source(
    "Lambda: each function scales by at most 1,000 execution environments every 10 seconds",
    f"{_LAMBDA}/scaling-behavior.html",
)
LAMBDA_TIMEOUT = Source(
    "Lambda: function timeout at most 900 seconds",
    f"{_LAMBDA}/configuration-timeout.html",
    confirmed=False,
)
LAMBDA_SQS_VISIBILITY = Source(
    "Lambda + SQS: set the queue's visibility timeout to at least 6 x the function timeout",
    f"{_LAMBDA}/services-sqs-configure.html",
)
LAMBDA_SQS_SCALING = Source(
    "Lambda + SQS: maximum concurrency of an SQS event source 2 to 1,000; batch size up to "
    "10,000 (standard queue) or 10 (FIFO)",
    f"{_LAMBDA}/services-sqs-scaling.html",
    confirmed=False,
)

SQS_RETENTION = Source(
    "SQS: message retention 60 seconds to 1,209,600 seconds (14 days), 4 days by default",
    f"{_SQS}/quotas-messages.html",
)
SQS_VISIBILITY_MAX = Source(
    "SQS: visibility timeout at most 12 hours", f"{_SQS}/quotas-messages.html", confirmed=False
)
SQS_FIFO = Source(
    "SQS FIFO: 300 API calls/s per action (SendMessage, ReceiveMessage, DeleteMessage); with "
    "batches of 10, 3,000 messages/s",
    f"{_SQS}/quotas-messages.html",
)
SQS_FIFO_THROTTLING = Source(
    "SQS FIFO: requests over 300 TPS per action get ThrottlingException; batch actions raise "
    "it to 3,000 messages/s per action; or enable high throughput",
    f"{_SQS}/troubleshooting-fifo-throttling-issues.html",
)
SQS_FIFO_HIGH_THROUGHPUT = Source(
    "SQS high-throughput FIFO in us-east-1: 70,000 API calls/s per action (non-batched)",
    f"{_SQS}/quotas-messages.html",
)
SQS_FIFO_HIGH_THROUGHPUT_BATCHED = Source(
    "SQS high-throughput FIFO in us-east-1 with batching: 700,000 messages/s per action",
    f"{_SQS}/quotas-messages.html",
    confirmed=False,
)
SQS_FIFO_GROUP = Source(
    "SQS high-throughput FIFO: a message group is served by one partition, 300 API calls/s "
    "(3,000 messages/s batched)",
    f"{_SQS}/high-throughput-fifo.html",
    confirmed=False,
)
SQS_BATCH = Source("SQS: at most 10 messages per batch request", f"{_SQS}/quotas-messages.html")

SNS_FIFO_TOPIC = Source(
    "SNS FIFO topic (topic throughput scope): 3,000 messages/s and 20 MB/s per topic",
    "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_sns.FifoThroughputScope.html",
)
SNS_STANDARD_PUBLISH = Source(
    "SNS standard topics in us-east-1: 30,000 Publish messages/s per account (soft quota)",
    "https://docs.aws.amazon.com/general/latest/gr/sns.html",
    confirmed=False,
)
SNS_BATCH = Source(
    "SNS PublishBatch: up to 10 messages, 256 KiB in all",
    "https://docs.aws.amazon.com/sns/latest/dg/sns-batch-api-actions.html",
)

KINESIS_SHARD = Source(
    "Kinesis: a shard takes 1 MB/s and 1,000 records/s of writes and serves 2 MB/s of reads",
    "https://docs.aws.amazon.com/streams/latest/dev/working-with-streams.html",
)
KINESIS_ON_DEMAND = Source(
    "Kinesis on-demand: a new stream takes 4 MB/s (4,000 records/s) of writes and adapts to "
    "twice its previous peak; at most 200 MiB/s and 200,000 records/s by default",
    "https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html",
    confirmed=False,
)

FIREHOSE_BUFFERING = Source(
    "Firehose buffering hints: 1 to 128 MiB, 0 to 900 seconds; the first reached triggers delivery",
    "https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html",
)
FIREHOSE_DIRECT_PUT = Source(
    "Firehose Direct PUT in us-east-1: 5 MiB/s, 2,000 requests/s and 500,000 records/s per "
    "Firehose stream (soft quota; does not apply with a Kinesis data stream as the source)",
    "https://docs.aws.amazon.com/firehose/latest/dev/limits.html",
    confirmed=False,
)
FLINK_KPU = Source(
    "Managed Service for Apache Flink: 1 KPU = 1 vCPU and 4 GB; one extra KPU per "
    "application for orchestration; 50 GB running storage per KPU",
    "https://aws.amazon.com/managed-service-apache-flink/pricing/",
    confirmed=False,
)

STEP_FUNCTIONS_DURATION = Source(
    "Step Functions: Express workflows run at most 5 minutes, Standard workflows 1 year",
    "https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html",
    confirmed=False,
)
STEP_FUNCTIONS_QUOTAS = Source(
    "Step Functions in us-east-1: Standard StartExecution 300/s refill (1,300 burst), "
    "5,000 state transitions/s; Express StartExecution 6,000/s",
    "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html",
    confirmed=False,
)
STEP_FUNCTIONS_HISTORY = Source(
    "Step Functions Standard: at most 25,000 events in an execution's history",
    "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html",
    confirmed=False,
)

ALB_REQUEST_COUNT = Source(
    "Target tracking on ALBRequestCountPerTarget: the target is requests per target per minute",
    "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html",
    confirmed=False,
)
BATCH_MAX_VCPUS = Source(
    "AWS Batch: a compute environment runs at most maxvCpus vCPUs at once",
    "https://docs.aws.amazon.com/batch/latest/userguide/compute_environment_parameters.html",
    confirmed=False,
)
EC2_VCPU_QUOTA = Source(
    "EC2: running On-Demand Standard instances limited by a per-account vCPU quota",
    "https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html",
    confirmed=False,
)

# -- messaging and streaming (issue 15), read 2026-12-01 ------------------------------------
SQS_REQUEST_CHUNK = Source(
    "SQS pricing: each 64 KB chunk of a payload is billed as 1 request (a 256 KB message = 4)",
    "https://aws.amazon.com/sqs/pricing/",
    confirmed=False,
)
SNS_FIFO_HIGH_THROUGHPUT = Source(
    "SNS FIFO topic, message group scope (high throughput): the Region's maximum, 30,000 "
    "messages/s per account in us-east-1; 300 messages/s per message group",
    "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_sns.FifoThroughputScope.html",
    confirmed=False,
)
SNS_REQUEST_CHUNK = Source(
    "SNS pricing: each 64 KB chunk of published data is billed as 1 request",
    "https://aws.amazon.com/sns/pricing/",
    confirmed=False,
)
KINESIS_ON_DEMAND_BILLING = Source(
    "Kinesis on-demand: billed per stream-hour and per GB written (each record rounded up to "
    "the nearest 1 KB) and read; provisioned: per shard-hour and per 25 KB PUT payload unit",
    "https://aws.amazon.com/kinesis/data-streams/pricing/",
)
FIREHOSE_BUFFER_TRIGGER = Source(
    "Firehose buffering hints: SizeInMBs 1 to 128 (default 5), IntervalInSeconds 0 to 900 "
    "(default 300); the first buffer condition satisfied triggers delivery",
    "https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html",
)
FIREHOSE_INGESTION_BILLING = Source(
    "Firehose pricing: ingestion billed per GB in 5 KB increments per record",
    "https://aws.amazon.com/firehose/pricing/",
    confirmed=False,
)
S3_PREFIX_PUT_RATE = Source(
    "S3: at least 3,500 PUT/COPY/POST/DELETE requests/s per partitioned prefix",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html",
    confirmed=False,
)
FLINK_KPU_RESOURCES = Source(
    "Managed Service for Apache Flink: 1 KPU = 1 vCPU, 4 GB memory and 50 GB running storage; "
    "KPUs = Parallelism / ParallelismPerKPU (ParallelismPerKPU 1 to 8); one extra KPU per "
    "application for orchestration",
    "https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling.html",
)
FLINK_KPU_QUOTA = Source(
    "Managed Service for Apache Flink: at most 64 KPUs per application by default "
    "(maximum parallelism = ParallelismPerKPU x 64)",
    "https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_ParallelismConfiguration.html",
)
FLINK_AUTOSCALING = Source(
    "Managed Service for Apache Flink autoscaling adds KPUs when CPU stays above 75% for 15 "
    "minutes",
    "https://docs.aws.amazon.com/managed-flink/latest/java/performance-improving.html",
)
STEP_FUNCTIONS_EXPRESS_DURATION = Source(
    "Step Functions Express: maximum execution time 5 minutes",
    "https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html",
)
STEP_FUNCTIONS_STANDARD_LIMITS = Source(
    "Step Functions Standard: maximum execution time 1 year; execution history at most "
    "25,000 events",
    "https://docs.aws.amazon.com/step-functions/latest/dg/limits.html",
)
STEP_FUNCTIONS_BILLING = Source(
    "Step Functions pricing: Standard per state transition (retries included); Express per "
    "request and per GB-second, duration rounded up to 100 ms, memory billed in 64 MB chunks",
    "https://aws.amazon.com/step-functions/pricing/",
)
BATCH_JOB_VS_ENVIRONMENT = Source(
    "AWS Batch: a job whose vCPUs exceed every compute environment's maxvCpus stays RUNNABLE "
    "(COMPUTE_ENVIRONMENT_MAX_RESOURCE)",
    "https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable.html",
)
BATCH_FARGATE_VCPUS = Source(
    "AWS Batch on Fargate: a job takes 0.25 to 16 vCPUs",
    "https://docs.aws.amazon.com/batch/latest/userguide/fargate.html",
    confirmed=False,
)
