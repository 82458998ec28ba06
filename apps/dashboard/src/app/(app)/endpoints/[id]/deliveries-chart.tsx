"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type PerDay = { day: string; queued: number; processed: number; ignored: number; failed: number };

export function DeliveriesChart({ data }: { data: PerDay[] }) {
  return (
    <figure className="chart" aria-label="Deliveries per day by status, last 14 days">
      <div className="chart-area">
        <ResponsiveContainer>
          <BarChart data={data.map((row) => ({ ...row, day: row.day.slice(5) }))}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} width={32} />
            <Tooltip />
            <Legend />
            <Bar dataKey="processed" stackId="s" isAnimationActive={false} fill="#16a34a" />
            <Bar dataKey="queued" stackId="s" isAnimationActive={false} fill="#6366f1" />
            <Bar dataKey="ignored" stackId="s" isAnimationActive={false} fill="#d97706" />
            <Bar dataKey="failed" stackId="s" isAnimationActive={false} fill="#dc2626" />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
