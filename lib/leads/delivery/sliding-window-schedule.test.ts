import { describe, expect, it } from "vitest";
import { SlidingWindowSchedule } from "./sliding-window-schedule";

/** Books `count` sends as fast as the schedule allows, starting at `start`. */
function book(schedule: SlidingWindowSchedule, key: string, count: number, start = 0): number[] {
  const times: number[] = [];
  let now = start;
  for (let index = 0; index < count; index += 1) {
    const at = schedule.earliest(key, now);
    schedule.record(key, at);
    times.push(at);
    now = at;
  }
  return times;
}

const maxInAnyWindow = (times: number[], windowMs: number) =>
  Math.max(...times.map((start) => times.filter((time) => time >= start && time < start + windowMs).length));

describe("SlidingWindowSchedule", () => {
  it("spaces a private chat's messages one second apart", () => {
    expect(book(new SlidingWindowSchedule(1, 1000), "chat", 4)).toEqual([0, 1000, 2000, 3000]);
  });

  it("lets a group burst 20 and then never more than 20 in any minute, across the window's edge", () => {
    const schedule = new SlidingWindowSchedule(20, 60_000);
    const times = book(schedule, "group", 45, 50_000);
    expect(times.slice(0, 20).every((time) => time === 50_000)).toBe(true);
    expect(times[20]).toBe(110_000);
    expect(maxInAnyWindow(times, 60_000)).toBe(20);
  });

  it("sends at once when the chat was quiet for a window", () => {
    const schedule = new SlidingWindowSchedule(1, 1000);
    book(schedule, "chat", 2);
    expect(schedule.earliest("chat", 5000)).toBe(5000);
  });

  it("keeps keys apart and forgets quiet ones", () => {
    const schedule = new SlidingWindowSchedule(1, 1000);
    book(schedule, "a", 3);
    expect(schedule.earliest("b", 0)).toBe(0);
    schedule.prune(10_000);
    expect(schedule.earliest("a", 10_000)).toBe(10_000);
  });
});
