-- AlterTable
ALTER TABLE "destination" ADD COLUMN     "failing_since" TIMESTAMPTZ(3);
