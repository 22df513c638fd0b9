// MARK: - BigUnsigned

/// Just enough unsigned big-integer arithmetic for RSA signature checks (`s^e mod n` with a small public
/// exponent): little-endian 32-bit limbs, schoolbook multiplication, long division for the remainder.
struct BigUnsigned: Equatable {
    /// Little-endian limbs without leading zero limbs.
    private(set) var limbs: [UInt32]

    init(limbs: [UInt32]) {
        var trimmed = limbs
        while trimmed.last == 0 {
            trimmed.removeLast()
        }
        self.limbs = trimmed
    }

    /// From big-endian bytes.
    init(bytes: [UInt8]) {
        var limbs: [UInt32] = []
        var index = bytes.count
        while index > 0 {
            var limb: UInt32 = 0
            for offset in 0..<4 where index - 4 + offset >= 0 {
                limb |= UInt32(bytes[index - 4 + offset]) << UInt32((3 - offset) * 8)
            }
            limbs.append(limb)
            index -= 4
        }
        self.init(limbs: limbs)
    }

    var isZero: Bool { limbs.isEmpty }

    var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return (limbs.count - 1) * 32 + (32 - top.leadingZeroBitCount)
    }

    func bit(_ index: Int) -> Bool {
        let limb = index / 32
        guard limb < limbs.count else { return false }
        return limbs[limb] >> UInt32(index % 32) & 1 == 1
    }

    /// Big-endian bytes, left-padded with zeros to `length`.
    func bytes(length: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        for (limbIndex, limb) in limbs.enumerated() {
            for byte in 0..<4 {
                let position = length - 1 - (limbIndex * 4 + byte)
                if position >= 0 {
                    out[position] = UInt8(truncatingIfNeeded: limb >> UInt32(byte * 8))
                }
            }
        }
        return out
    }

    static func < (lhs: BigUnsigned, rhs: BigUnsigned) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in stride(from: lhs.limbs.count - 1, through: 0, by: -1) where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    static func * (lhs: BigUnsigned, rhs: BigUnsigned) -> BigUnsigned {
        guard !lhs.isZero, !rhs.isZero else { return BigUnsigned(limbs: []) }
        var result = [UInt32](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
        for (i, left) in lhs.limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, right) in rhs.limbs.enumerated() {
                let sum = UInt64(left) * UInt64(right) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: sum)
                carry = sum >> 32
            }
            result[i + rhs.limbs.count] = UInt32(truncatingIfNeeded: carry)
        }
        return BigUnsigned(limbs: result)
    }

    /// `self mod modulus` by long division in base 2^32 (Knuth's algorithm D, as in Hacker's Delight `divmnu`).
    func reduced(modulo modulus: BigUnsigned) -> BigUnsigned {
        guard !(self < modulus) else { return self }
        let u = limbs
        let v = modulus.limbs
        let m = u.count
        let n = v.count
        if n == 1 {
            var remainder: UInt64 = 0
            for limb in u.reversed() {
                remainder = (remainder << 32 | UInt64(limb)) % UInt64(v[0])
            }
            return BigUnsigned(limbs: [UInt32(remainder)])
        }
        let shift = UInt32(v[n - 1].leadingZeroBitCount)
        func high(_ limb: UInt32) -> UInt32 { shift == 0 ? 0 : limb >> (32 - shift) }
        var vn = [UInt32](repeating: 0, count: n)
        for i in stride(from: n - 1, to: 0, by: -1) {
            vn[i] = v[i] << shift | high(v[i - 1])
        }
        vn[0] = v[0] << shift
        var un = [UInt32](repeating: 0, count: m + 1)
        un[m] = high(u[m - 1])
        for i in stride(from: m - 1, to: 0, by: -1) {
            un[i] = u[i] << shift | high(u[i - 1])
        }
        un[0] = u[0] << shift
        let base: UInt64 = 1 << 32
        for j in stride(from: m - n, through: 0, by: -1) {
            let numerator = UInt64(un[j + n]) << 32 | UInt64(un[j + n - 1])
            var qhat = numerator / UInt64(vn[n - 1])
            var rhat = numerator % UInt64(vn[n - 1])
            while qhat >= base || qhat * UInt64(vn[n - 2]) > (rhat << 32) + UInt64(un[j + n - 2]) {
                qhat -= 1
                rhat += UInt64(vn[n - 1])
                if rhat >= base { break }
            }
            var borrow: Int64 = 0
            for i in 0..<n {
                let product = qhat * UInt64(vn[i])
                let difference = Int64(un[i + j]) - borrow - Int64(product & 0xFFFF_FFFF)
                un[i + j] = UInt32(truncatingIfNeeded: difference)
                borrow = Int64(product >> 32) - (difference >> 32)
            }
            let top = Int64(un[j + n]) - borrow
            un[j + n] = UInt32(truncatingIfNeeded: top)
            if top < 0 {
                // qhat was one too large: add the divisor back.
                var carry: UInt64 = 0
                for i in 0..<n {
                    let sum = UInt64(un[i + j]) + UInt64(vn[i]) + carry
                    un[i + j] = UInt32(truncatingIfNeeded: sum)
                    carry = sum >> 32
                }
                un[j + n] = UInt32(truncatingIfNeeded: UInt64(un[j + n]) + carry)
            }
        }
        var remainder = [UInt32](repeating: 0, count: n)
        for i in 0..<n {
            remainder[i] = un[i] >> shift | (shift == 0 ? 0 : un[i + 1] << (32 - shift))
        }
        return BigUnsigned(limbs: remainder)
    }

    /// `self^exponent mod modulus` by square-and-multiply.
    func power(_ exponent: BigUnsigned, modulo modulus: BigUnsigned) -> BigUnsigned {
        var result = BigUnsigned(limbs: [1]).reduced(modulo: modulus)
        let base = reduced(modulo: modulus)
        for index in stride(from: exponent.bitWidth - 1, through: 0, by: -1) {
            result = (result * result).reduced(modulo: modulus)
            if exponent.bit(index) {
                result = (result * base).reduced(modulo: modulus)
            }
        }
        return result
    }
}
